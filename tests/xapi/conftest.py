"""Fixtures for the xapi tests: the real LRS, a faulty proxy in front of it, outbox databases."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from tests.xapi.faulty_proxy import FaultyProxy
from tests.xapi.lrs_server import PROJECT_ROOT, LearningLockerLRS, unavailable_reason
from xapi.outbox import OutboxBase
from xapi.settings import XapiSettings

#: Delivery settings small enough that retries and leases play out within a test.
FAST = {
    "batch_size": 10,
    "connect_timeout": 1.0,
    "read_timeout": 2.0,
    "backoff_base": 0.05,
    "backoff_cap": 0.5,
    "lease_seconds": 5.0,
    "poll_interval": 0.2,
}


@pytest.fixture(scope="session")
def lrs_ready() -> None:
    """Skip, saying why, when node or the npm package is missing."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def lrs(lrs_ready: None) -> Iterator[LearningLockerLRS]:
    """The real LRS, shared by the tests that never stop it (they use distinct statements)."""
    with LearningLockerLRS() as server:
        yield server


@pytest.fixture
def own_lrs(lrs_ready: None) -> Iterator[LearningLockerLRS]:
    """A real LRS of this test's own, not yet started, so the test may stop and restart it."""
    server = LearningLockerLRS()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def make_proxy() -> Iterator[Callable[..., FaultyProxy]]:
    """Start faulty proxies in front of an LRS; all are closed after the test."""
    proxies: list[FaultyProxy] = []

    def make(server: LearningLockerLRS, **options: float) -> FaultyProxy:
        proxy = FaultyProxy(server.origin, **options).start()
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.close()


@pytest.fixture
def proxy(lrs: LearningLockerLRS, make_proxy: Callable[..., FaultyProxy]) -> FaultyProxy:
    """A faulty proxy in front of the shared LRS."""
    return make_proxy(lrs)


@pytest.fixture
def outbox_engine(database_url: str) -> Iterator[Engine]:
    """An engine on a fresh database (SQLite, then PostgreSQL) with the outbox table."""
    engine = create_engine(database_url)
    OutboxBase.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings_for(database_url: str) -> Callable[..., XapiSettings]:
    """Build fast delivery settings for an endpoint on this test's database."""

    def make(endpoint: str | None, **overrides: object) -> XapiSettings:
        return XapiSettings(
            database_url=database_url,
            lrs_endpoint=endpoint,
            lrs_username="semh-test",
            lrs_password="semh-test-password",
            **{**FAST, **overrides},
        )  # type: ignore[arg-type]

    return make


def cli_env(settings: XapiSettings) -> dict[str, str]:
    """Environment variables that configure an ``xapi`` process like ``settings``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("XAPI_") and key != "DATABASE_URL"
    }
    env["DATABASE_URL"] = settings.database_url
    if settings.lrs_endpoint:
        env["XAPI_LRS_ENDPOINT"] = settings.lrs_endpoint
        env["XAPI_LRS_USERNAME"] = settings.lrs_username or ""
        env["XAPI_LRS_PASSWORD"] = settings.lrs_password or ""
    for name in ("batch_size", *[key for key in FAST if key != "batch_size"]):
        env[f"XAPI_{name.upper()}"] = str(getattr(settings, name))
    return env


def start_worker(settings: XapiSettings, log: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start ``python -m xapi.cli worker`` as a real process, output to ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "xapi.cli", "worker", *args],
            cwd=PROJECT_ROOT,
            env=cli_env(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
