"""Smoke: a real LTI launch from the platform's course page into the tool, in a cross-site
iframe over HTTPS with third-party cookies blocked, lands on the tool's home page, and the
pages a person first sees pass axe and reflow at 320 px."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    BLOCK_ALL_COOKIES,
    PHONE,
    ChromiumSession,
    FramedLaunchError,
    assert_accessible,
    assert_no_horizontal_scroll,
)
from tests.support.browser.fixtures import FramedLti, HttpsTool
from tests.support.platform import (
    SAM_STUDENT,
    STUDENT_ROLES,
    TEACHER_ROLES,
    TERRY_TEACHER,
    TestPlatform,
)

pytestmark = pytest.mark.browser

# An instructor lands on /home ("Welcome, …"); learners (staff) go on to their own journey.
TEACHER = {"user": TERRY_TEACHER, "roles": TEACHER_ROLES}
WELCOME = "Welcome, Terry Teacher"


def _storage_log(framed: FramedLti) -> list[str]:
    """The platform-storage subjects the course page answered (lti.put_data, lti.get_data)."""
    log = framed.page.evaluate("() => window.__ltiStorageLog || []")
    return [request["subject"] for request, _reply in log]


def test_launch_in_cross_site_iframe_lands_on_home(framed_lti: FramedLti) -> None:
    frame = framed_lti.launch(**TEACHER, path="/home")
    expect(frame.get_by_role("heading", level=1)).to_have_text(WELCOME)
    # The login state travelled in the tool's partitioned cookie, keyed to the platform's site.
    state = [c for c in framed_lti.chromium.context.cookies() if c["name"].startswith("lti1p3-")]
    assert state, "the tool set no lti1p3-state cookie"
    assert {c.get("partitionKey") for c in state} == {"https://127.0.0.2"}
    assert _storage_log(framed_lti) == []


def test_launch_with_platform_storage_and_cookies_blocked(framed_lti: FramedLti) -> None:
    """storage_target="_parent": the state proof also goes to the platform (put_data); the
    partitioned cookie is still kept, so the launch needs no get_data."""
    frame = framed_lti.launch(**TEACHER, path="/home", storage_target="_parent")
    expect(frame.get_by_role("heading", level=1)).to_have_text(WELCOME)
    assert _storage_log(framed_lti) == ["lti.put_data"]


def test_launch_with_platform_storage_and_no_cookies_at_all(
    https_platform: TestPlatform,
    https_tool: HttpsTool,
    chromium_factory: Callable[..., ChromiumSession],
) -> None:
    """Every cookie blocked (as where partitioned cookies are unsupported): only the platform's
    postMessage storage carries the state, and the launch still lands."""
    framed = FramedLti(https_platform, https_tool, chromium_factory(preferences=BLOCK_ALL_COOKIES))
    frame = framed.launch(**TEACHER, path="/home", storage_target="_parent")
    expect(frame.get_by_role("heading", level=1)).to_have_text(WELCOME)
    assert _storage_log(framed) == ["lti.put_data", "lti.get_data"]
    assert framed.chromium.context.cookies() == []


def test_no_cookies_and_no_platform_storage_explains_and_offers_new_window(
    https_platform: TestPlatform,
    https_tool: HttpsTool,
    chromium_factory: Callable[..., ChromiumSession],
) -> None:
    """The control for the test above: without storage the launch cannot work in the frame."""
    framed = FramedLti(https_platform, https_tool, chromium_factory(preferences=BLOCK_ALL_COOKIES))
    with pytest.raises(FramedLaunchError, match="answered 4"):
        framed.launch(**TEACHER, timeout_ms=8_000)
    frame = framed.page.frame(name="tool_frame")
    assert frame is not None
    expect(frame.get_by_role("link", name="Open in a new window")).to_be_visible()


def test_learner_launch_in_iframe_reaches_the_tool(framed_lti: FramedLti) -> None:
    frame = framed_lti.launch(user=SAM_STUDENT, roles=STUDENT_ROLES)
    expect(frame.get_by_role("heading", level=1)).to_be_visible()


def test_home_in_iframe_is_accessible(framed_lti: FramedLti) -> None:
    frame = framed_lti.launch(**TEACHER, path="/home")
    expect(frame.get_by_role("heading", level=1)).to_have_text(WELCOME)
    assert_accessible(frame)


def test_home_in_iframe_reflows_at_320px(framed_lti: FramedLti) -> None:
    framed_lti.chromium.set_viewport(PHONE)
    frame = framed_lti.launch(**TEACHER, path="/home")
    expect(frame.get_by_role("heading", level=1)).to_have_text(WELCOME)
    assert_no_horizontal_scroll(frame)


def test_landing_page_top_level_is_accessible(
    https_tool: HttpsTool, chromium: ChromiumSession
) -> None:
    chromium.page.goto(f"{https_tool.url}/")
    expect(chromium.page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(chromium.page)
