"""pytest fixtures for browser tests: HTTPS tool + platform on two sites, and Chromium.

Use them from any test folder by importing them into that folder's ``conftest.py``::

    from tests.support.browser.fixtures import *  # noqa: F403

(``tests/browser/conftest.py`` does exactly that.) Every server and browser they start is
stopped when the test ends; the Playwright driver lives for one test module (an idle sync
Playwright leaves an asyncio loop marked running in the thread, so it must not outlive the
browser tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Frame, Page, Playwright, sync_playwright

from lti_tool.delivery import stop_delivery
from lti_tool.extensions import db
from lti_tool.lti.launching import forget_key_sets
from tests.lti_tool.conftest import build_app
from tests.lti_tool.functional.conftest import (
    CLIENT_ID,
    register_platform_in_tool,
    register_tool_in_platform,
)
from tests.support.browser.chromium import (
    DESKTOP,
    ChromiumSession,
    ThirdPartyCookies,
    Viewport,
    chromium_missing_reason,
    launch_chromium,
)
from tests.support.browser.iframe_launch import open_launch_in_frame
from tests.support.platform import LoopbackServer, TestPlatform
from tests.support.tls import TestTLS, make_test_tls

__all__ = [
    "CLIENT_ID",
    "FramedLti",
    "HttpsTool",
    "chromium",
    "chromium_factory",
    "framed_lti",
    "https_platform",
    "https_tool",
    "playwright_driver",
    "tls",
]


@dataclass
class HttpsTool:
    """The tool served over HTTPS on 127.0.0.1 (its ``base_url`` is ``url``)."""

    app: Flask
    url: str


@dataclass
class FramedLti:
    """Platform and tool registered with each other, and a Chromium to launch in."""

    platform: TestPlatform
    tool: HttpsTool
    chromium: ChromiumSession
    client_id: str = CLIENT_ID

    @property
    def page(self) -> Page:
        return self.chromium.page

    def launch_url(self, **launch: Any) -> str:
        """``platform.launch_url`` for the registered tool (user, roles, storage_target…)."""
        return self.platform.launch_url(self.client_id, **launch)

    def launch(
        self,
        *,
        page: Page | None = None,
        path: str | None = None,
        timeout_ms: float = 15_000,
        **launch: Any,
    ) -> Frame:
        """Launch from the course page into the iframe; returns the tool's Frame once it
        has landed (past /lti/login and /lti/launch, or at ``path``)."""
        return open_launch_in_frame(
            page or self.page,
            self.platform,
            self.launch_url(**launch),
            self.tool.url,
            path=path,
            timeout_ms=timeout_ms,
        )


class _LateApp:
    """A WSGI callable whose app is set after the server has bound its port (so the app's
    ``base_url`` can name the port without a free-port race)."""

    app: Any = None

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    """A started Playwright driver for this module; skips when Chromium is missing."""
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestTLS:
    """A test CA and one certificate for 127.0.0.1 and 127.0.0.2; requests (pylti1p3's JWKS
    fetch) trusts it through REQUESTS_CA_BUNDLE."""
    directory = tmp_path / "tls"
    directory.mkdir()
    made = make_test_tls(directory)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", made.ca_file)
    return made


@pytest.fixture
def https_tool(tls: TestTLS, sqlite_url: str, tmp_path: Path) -> Iterator[HttpsTool]:
    """The tool (SQLite, migrated, demo on) served over HTTPS on 127.0.0.1."""
    late = _LateApp()
    server = LoopbackServer(late, "127.0.0.1", 0, tls.server)
    app = late.app = build_app(sqlite_url, tmp_path / "instance", base_url=server.url)
    forget_key_sets()
    try:
        with server:
            yield HttpsTool(app, server.url)
    finally:
        forget_key_sets()
        stop_delivery(app)  # the grade (and xAPI) worker threads the first request started
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def https_platform(tls: TestTLS, https_tool: HttpsTool) -> Iterator[TestPlatform]:
    """The test platform over HTTPS on 127.0.0.2, registered with the tool both ways
    (client id ``CLIENT_ID``, deployment "1")."""
    with TestPlatform(
        host="127.0.0.2", ssl_context=tls.server, outbound_verify=tls.ca_file
    ) as platform:
        register_tool_in_platform(platform, https_tool.url, CLIENT_ID)
        register_platform_in_tool(https_tool.app, platform, CLIENT_ID)
        yield platform
        assert not platform.server_errors, platform.server_errors


@pytest.fixture
def chromium_factory(
    playwright_driver: Playwright,
) -> Iterator[Callable[..., ChromiumSession]]:
    """Start Chromium sessions with chosen options; all are closed after the test.

    ``chromium_factory(third_party_cookies="allowed", viewport=PHONE)``; the keywords are
    :func:`~tests.support.browser.chromium.launch_chromium`'s.
    """
    with ExitStack() as stack:

        def start(
            *,
            third_party_cookies: ThirdPartyCookies = "blocked",
            viewport: Viewport | tuple[int, int] = DESKTOP,
            **options: Any,
        ) -> ChromiumSession:
            return stack.enter_context(
                launch_chromium(
                    playwright_driver,
                    third_party_cookies=third_party_cookies,
                    viewport=viewport,
                    **options,
                )
            )

        yield start


@pytest.fixture
def chromium(chromium_factory: Callable[..., ChromiumSession]) -> ChromiumSession:
    """Chromium at 1280×900 with third-party cookies blocked (every browser's default in an
    LMS iframe now)."""
    return chromium_factory(third_party_cookies="blocked", viewport=DESKTOP)


@pytest.fixture
def framed_lti(
    https_platform: TestPlatform, https_tool: HttpsTool, chromium: ChromiumSession
) -> FramedLti:
    """Everything a journey test needs: ``framed_lti.launch(user=..., roles=...)``."""
    return FramedLti(https_platform, https_tool, chromium)
