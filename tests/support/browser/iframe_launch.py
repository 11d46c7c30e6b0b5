"""Launching the tool from the test platform's course page, inside a cross-site iframe.

The platform (``TestPlatform`` on https://127.0.0.2:P) serves ``frame_url(launch_url)``: a
course page with ``<iframe id="tool_frame" name="tool_frame">`` whose document goes
platform launch → tool ``/lti/login`` → platform ``/mod/lti/auth.php`` → tool ``/lti/launch``
→ the tool's landing page (``/home?lr=…``). The helpers here open that page and hand back
the tool's :class:`~playwright.sync_api.Frame` once it has left the LTI hops, so a journey
test goes on with ``frame.get_by_role(...)`` (or ``tool_frame_locator(page)``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, FrameLocator, Page, Response

from tests.support.platform import TestPlatform

TOOL_FRAME_NAME = "tool_frame"
TOOL_FRAME_SELECTOR = "#tool_frame"
#: Tool paths that are hops of the login/launch, not where a person lands.
LTI_HOP_PATHS: tuple[str, ...] = ("/lti/login", "/lti/launch")


class FramedLaunchError(AssertionError):
    """The framed launch did not reach the tool's page; the message says where it stopped."""


@dataclass
class _NavigationLog:
    frame_name: str
    hops: list[tuple[int, str]] = field(default_factory=list)

    def __call__(self, response: Response) -> None:
        try:
            request = response.request
            if request.is_navigation_request() and request.frame.name == self.frame_name:
                self.hops.append((response.status, f"{request.method} {response.url}"))
        except PlaywrightError:  # the frame went away meanwhile
            pass


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def tool_frame_locator(page: Page) -> FrameLocator:
    """The course page's tool iframe, for locator-style steps (auto-waiting)."""
    return page.frame_locator(TOOL_FRAME_SELECTOR)


def _tool_frames(page: Page) -> list[Frame]:
    # Through the <iframe> element: its name is set only once it starts navigating, and a
    # cross-site navigation moves it into another renderer, where for a moment the element
    # may still answer with the detached frame it had before; so every live candidate counts.
    handle = page.query_selector(TOOL_FRAME_SELECTOR)
    candidates = [
        handle.content_frame() if handle is not None else None,
        page.frame(name=TOOL_FRAME_NAME),
        *(f for f in page.main_frame.child_frames if f.name == TOOL_FRAME_NAME),
    ]
    frames: list[Frame] = []
    for frame in candidates:
        if frame is not None and not frame.is_detached() and frame not in frames:
            frames.append(frame)
    return frames


def _current_tool_frame(page: Page, ready: Callable[[str], bool] | None = None) -> Frame | None:
    frames = _tool_frames(page)
    if ready is not None:
        frames.sort(key=lambda frame: not ready(frame.url))  # a frame already there first
    return frames[0] if frames else None


def tool_frame(page: Page) -> Frame:
    """The course page's tool iframe as a Frame (it must exist already)."""
    frame = _current_tool_frame(page)
    if frame is None:
        raise FramedLaunchError(f"no tool iframe ({TOOL_FRAME_SELECTOR}) on {page.url}")
    return frame


def landed_on_tool(tool_url: str, path: str | None = None) -> Callable[[str], bool]:
    """A URL test: on the tool's origin, past the LTI hops (and at ``path`` if given)."""
    tool_origin = origin(tool_url)

    def check(url: str) -> bool:
        if origin(url) != tool_origin:
            return False
        at = urlsplit(url).path
        return at == path if path is not None else at not in LTI_HOP_PATHS

    return check


def _frame_text(frame: Frame) -> str:
    try:
        return " ".join(frame.locator("body").inner_text(timeout=1000).split())[:600]
    except PlaywrightError as error:
        return f"(could not read the frame: {error.message.splitlines()[0]})"


def wait_for_tool_frame(
    page: Page,
    tool_url: str,
    *,
    path: str | None = None,
    timeout_ms: float = 15_000,
    platform: TestPlatform | None = None,
    _log: _NavigationLog | None = None,
) -> Frame:
    """Wait until the tool iframe shows a loaded tool page past the LTI hops; return its Frame.

    ``path``: wait for exactly this path (e.g. "/home"). Fails fast with :class:`FramedLaunchError`
    when the tool answers an error status inside the frame, else after ``timeout_ms``, with
    the frame's URL, text, navigation hops and (given ``platform``) its auth errors.
    """
    ready = landed_on_tool(tool_url, path)
    tool_origin = origin(tool_url)
    deadline = time.monotonic() + timeout_ms / 1000
    frame: Frame | None = None
    while True:
        frame = _current_tool_frame(page, ready)
        error_hop = next(
            (
                hop
                for hop in (_log.hops if _log else [])
                if hop[0] >= 400 and origin(hop[1].split(" ", 1)[1]) == tool_origin
            ),
            None,
        )
        if error_hop is None and frame is not None and ready(frame.url):
            remaining = max(1.0, (deadline - time.monotonic()) * 1000)
            try:
                frame.wait_for_load_state("load", timeout=remaining)
                href = frame.evaluate(
                    "() => document.readyState === 'complete' ? location.href : ''"
                )
            except PlaywrightError:  # navigating meanwhile: look again
                href = ""
            if href and ready(href):
                return frame
        if error_hop is not None or time.monotonic() >= deadline:
            break
        page.wait_for_timeout(50)
    why = (
        f"the tool answered {error_hop[0]} to {error_hop[1]}"
        if error_hop
        else (f"timed out after {timeout_ms / 1000:.0f} s")
    )
    details = [
        f"the launch did not reach the tool inside the iframe: {why}",
        f"  frame URL: {frame.url if frame else '(no frame)'}",
        f"  frame text: {_frame_text(frame) if frame else ''}",
    ]
    if _log is not None:
        details.append("  frame navigations: " + "; ".join(f"{s} {u}" for s, u in _log.hops))
    if platform is not None and platform.auth_errors:
        details.append(f"  platform auth errors: {platform.auth_errors}")
    raise FramedLaunchError("\n".join(details))


def open_launch_in_frame(
    page: Page,
    platform: TestPlatform,
    launch_url: str,
    tool_url: str,
    *,
    path: str | None = None,
    timeout_ms: float = 15_000,
) -> Frame:
    """Open the platform's course page framing ``launch_url`` and return the tool's Frame.

    ``launch_url`` comes from ``platform.launch_url(client_id, ...)`` (pass
    ``storage_target="_parent"`` to have the tool keep its state in the platform).
    """
    log = _NavigationLog(TOOL_FRAME_NAME)
    page.on("response", log)
    try:
        page.goto(platform.frame_url(launch_url), wait_until="domcontentloaded")
        return wait_for_tool_frame(
            page, tool_url, path=path, timeout_ms=timeout_ms, platform=platform, _log=log
        )
    finally:
        page.remove_listener("response", log)


def horizontal_overflow(frame: Page | Frame) -> tuple[int, int]:
    """``(scrollWidth, clientWidth)`` of the document's scrolling element."""
    width, client = frame.evaluate(
        "() => { const s = document.scrollingElement || document.documentElement;"
        " return [s.scrollWidth, s.clientWidth]; }"
    )
    return int(width), int(client)


def assert_no_horizontal_scroll(frame: Page | Frame) -> None:
    """Fail when the document is wider than its viewport (WCAG 1.4.10 reflow at 320 px)."""
    width, client = horizontal_overflow(frame)
    if width <= client + 1:
        return
    wide = frame.evaluate(
        """(limit) => Array.from(document.querySelectorAll('body *'))
            .filter((el) => el.getBoundingClientRect().right > limit + 1)
            .slice(0, 8)
            .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                 + (el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                 + ' (right ' + Math.round(el.getBoundingClientRect().right) + ')')""",
        client,
    )
    raise AssertionError(
        f"{frame.url} scrolls sideways: scrollWidth {width} > clientWidth {client}; "
        f"elements past the edge: {', '.join(wide) or '(none found)'}"
    )
