"""Browser test infrastructure: Chromium with a chosen cookie policy, axe-core, framed launches.

    from tests.support.browser import (
        launch_chromium, PHONE, DESKTOP,                 # chromium.py
        assert_accessible, axe_violations,               # axe.py
        open_launch_in_frame, tool_frame_locator,        # iframe_launch.py
        assert_no_horizontal_scroll,
    )

pytest fixtures live in ``tests.support.browser.fixtures`` (import them into a conftest).
"""

from tests.support.browser.axe import (
    AxeViolation,
    assert_accessible,
    axe_violations,
    format_violations,
    inject_axe,
)
from tests.support.browser.chromium import (
    BLOCK_ALL_COOKIES,
    CHROMIUM_FLAGS,
    CHROMIUM_PATH,
    DESKTOP,
    PHONE,
    ChromiumSession,
    Viewport,
    chromium_missing_reason,
    launch_chromium,
    write_profile_preferences,
)
from tests.support.browser.iframe_launch import (
    TOOL_FRAME_NAME,
    TOOL_FRAME_SELECTOR,
    FramedLaunchError,
    assert_no_horizontal_scroll,
    horizontal_overflow,
    open_launch_in_frame,
    tool_frame,
    tool_frame_locator,
    wait_for_tool_frame,
)

__all__ = [
    "BLOCK_ALL_COOKIES",
    "CHROMIUM_FLAGS",
    "CHROMIUM_PATH",
    "DESKTOP",
    "PHONE",
    "TOOL_FRAME_NAME",
    "TOOL_FRAME_SELECTOR",
    "AxeViolation",
    "ChromiumSession",
    "FramedLaunchError",
    "Viewport",
    "assert_accessible",
    "assert_no_horizontal_scroll",
    "axe_violations",
    "chromium_missing_reason",
    "format_violations",
    "horizontal_overflow",
    "inject_axe",
    "launch_chromium",
    "open_launch_in_frame",
    "tool_frame",
    "tool_frame_locator",
    "wait_for_tool_frame",
    "write_profile_preferences",
]
