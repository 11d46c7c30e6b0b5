"""Canaries: does this headless Chromium treat cookies in a cross-site iframe like a real one?

A tiny app of our own on https://127.0.0.1 sets two cookies from inside an iframe of a page on
https://127.0.0.2 (another site): a plain ``SameSite=None; Secure`` one and a ``Partitioned``
one. With third-party cookies blocked (every browser's default now) only the partitioned one
may come back; with them allowed both do. The framed page's ``localStorage`` must be its own
(partitioned by top-level site, as in Chrome), neither the top-level one nor an error. If
these fail, the journey tests prove nothing about real browsers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape

import pytest
from flask import Flask, Response, request

from tests.support.browser import (
    BLOCK_ALL_COOKIES,
    ChromiumSession,
    assert_accessible,
    assert_no_horizontal_scroll,
    axe_violations,
    tool_frame,
    tool_frame_locator,
)
from tests.support.platform import LoopbackServer
from tests.support.tls import TestTLS

pytestmark = pytest.mark.browser

_READ_SCRIPT = """
var out = document.getElementById("storage");
try { out.textContent = String(localStorage.getItem("probe")); }
catch (e) { out.textContent = "error: " + e.name; }
"""


def _cookie_app() -> Flask:
    app = Flask("cookie_canary")

    @app.get("/set")
    def set_cookies() -> Response:
        response = Response(
            '<!doctype html><title>set</title><p id="set">set</p><a id="read" href="/read">read</a>'
        )
        response.set_cookie("plain", "1", path="/", secure=True, samesite="None")
        response.set_cookie(
            "partitioned", "1", path="/", secure=True, samesite="None", partitioned=True
        )
        return response

    @app.get("/read")
    def read_cookies() -> str:
        names = escape(json.dumps(sorted(request.cookies)))
        return (
            f'<!doctype html><title>read</title><p id="cookies">{names}</p>'
            f'<p id="storage"></p><script>{_READ_SCRIPT}</script>'
        )

    @app.get("/inaccessible")
    def inaccessible() -> str:
        # An image with no text alternative (critical), a field with no label (critical),
        # grey on white text (serious colour contrast), and a block wider than any phone.
        return (
            '<!doctype html><html lang="en"><title>bad</title><main><h1>Bad page</h1>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            '<input type="text" id="nameless">'
            '<p style="color:#bbb;background:#fff">faint text</p>'
            '<pre id="wide" style="width:2000px">too wide for a phone</pre></main></html>'
        )

    @app.get("/store")
    def store() -> str:
        return (
            "<!doctype html><title>store</title>"
            '<script>localStorage.setItem("probe", "top-level")</script>'
        )

    return app


def _framer_app() -> Flask:
    app = Flask("framer")

    @app.get("/frame")
    def frame() -> str:
        src = escape(request.args["src"])
        return (
            f'<!doctype html><title>course</title><iframe id="tool_frame" name="tool_frame" '
            f'src="{src}"></iframe>'
        )

    return app


@dataclass
class Sites:
    tool: str  # https://127.0.0.1:P
    framer: str  # https://127.0.0.2:Q


@dataclass
class Seen:
    in_frame: list[str]
    frame_storage: str
    top_level: list[str]


@pytest.fixture
def sites(tls: TestTLS) -> Iterator[Sites]:
    with (
        LoopbackServer(_cookie_app(), "127.0.0.1", 0, tls.server) as tool,
        LoopbackServer(_framer_app(), "127.0.0.2", 0, tls.server) as framer,
    ):
        yield Sites(tool.url, framer.url)


def _visit(session: ChromiumSession, sites: Sites) -> Seen:
    page = session.page
    page.goto(f"{sites.tool}/store")  # first-party localStorage, to see whether frames share it
    page.goto(f"{sites.framer}/frame?src={sites.tool}/set")
    frame = tool_frame_locator(page)
    frame.locator("#read").click()
    in_frame = json.loads(frame.locator("#cookies").inner_text())
    storage = frame.locator("#storage").inner_text()
    page.goto(f"{sites.tool}/read")
    return Seen(in_frame, storage, json.loads(page.locator("#cookies").inner_text()))


def test_blocked_third_party_cookies_keep_only_partitioned(
    chromium: ChromiumSession, sites: Sites
) -> None:
    seen = _visit(chromium, sites)
    assert seen.in_frame == ["partitioned"]
    # The partitioned cookie belongs to the framing site: the tool opened top-level lacks it.
    assert seen.top_level == []
    partitioned = [c for c in chromium.context.cookies() if c["name"] == "partitioned"]
    assert [c.get("partitionKey") for c in partitioned] == ["https://127.0.0.2"]
    # Storage is partitioned as in Chrome (Playwright's default would make it throw).
    assert seen.frame_storage == "null"


def test_allowed_third_party_cookies_keep_both(
    chromium_factory: Callable[..., ChromiumSession], sites: Sites
) -> None:
    seen = _visit(chromium_factory(third_party_cookies="allowed"), sites)
    assert seen.in_frame == ["partitioned", "plain"]
    assert seen.top_level == ["plain"]
    # Storage is partitioned as in Chrome (Playwright's default would share the top-level one).
    assert seen.frame_storage == "null"


def test_block_all_cookies_keeps_none(
    chromium_factory: Callable[..., ChromiumSession], sites: Sites
) -> None:
    """BLOCK_ALL_COOKIES (used to prove the platform-storage launch needs no cookie) works."""
    seen = _visit(chromium_factory(preferences=BLOCK_ALL_COOKIES), sites)
    assert seen.in_frame == []
    assert seen.top_level == []


def test_axe_and_reflow_checks_see_inside_the_cross_origin_frame(
    chromium: ChromiumSession, sites: Sites
) -> None:
    """The helpers must report the framed document's problems, not the course page's."""
    page = chromium.page
    page.goto(f"{sites.framer}/frame?src={sites.tool}/inaccessible")
    tool_frame_locator(page).locator("h1").wait_for()
    frame = tool_frame(page)
    found = {v.id: v for v in axe_violations(frame)}
    assert {"image-alt", "label", "color-contrast"} <= set(found)
    assert found["image-alt"].impact == "critical"
    assert all(v.url.startswith(sites.tool) for v in found.values())
    assert found["label"].targets == ["#nameless"]
    with pytest.raises(AssertionError, match=r"(?s)image-alt \[critical\].*at img"):
        assert_accessible(frame)
    with pytest.raises(AssertionError, match=r"scrolls sideways: .*pre#wide"):
        assert_no_horizontal_scroll(frame)
