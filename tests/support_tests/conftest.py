"""A started test platform and a stub pylti1p3 tool registered with each other."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.support.platform import Browser, TestPlatform
from tests.support_tests.stub_tool import StubTool

CLIENT_ID = "stub-client"


@dataclass
class Pair:
    platform: TestPlatform
    tool: StubTool
    client_id: str = CLIENT_ID


def register_pair(platform: TestPlatform, tool: StubTool, client_id: str = CLIENT_ID) -> Pair:
    """Register the tool on the platform and the platform in the tool, as an admin would."""
    platform.register_tool(
        client_id,
        deployment_id="1",
        login_url=tool.login_url,
        launch_url=tool.launch_url,
        jwks_url=tool.jwks_url,
        deep_link_url=tool.launch_url,
    )
    tool.add_platform(
        platform.issuer,
        client_id,
        auth_login_url=platform.auth_login_url,
        auth_token_url=platform.auth_token_url,
        key_set_url=platform.jwks_url,
        deployment_ids=["1"],
    )
    return Pair(platform, tool, client_id)


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    with TestPlatform(host="127.0.0.2") as platform, StubTool(host="127.0.0.1") as tool:
        yield register_pair(platform, tool)
        assert platform.server_errors == []


@pytest.fixture
def browser() -> Iterator[Browser]:
    with Browser() as b:
        yield b


@pytest.fixture(scope="session", autouse=True)
def _nothing_left_running() -> Iterator[None]:
    yield
    leftovers = [
        t.name
        for t in threading.enumerate()
        if t.is_alive() and ("loopback-server" in t.name or "process_request_thread" in t.name)
    ]
    assert leftovers == [], f"server threads still running: {leftovers}"
