"""Debian's Chromium under Playwright, with a fresh profile whose cookie policy we choose.

A fresh Chromium profile blocks third-party cookies by default; the switch that works is the
profile preference ``profile.cookie_controls_mode`` (1 = block, 0 = allow), written into
``<user-data-dir>/Default/Preferences`` before the browser starts. Only a persistent context
reads that file (a plain ``browser.new_context()`` always blocks), so every session here is a
``launch_persistent_context`` on a throw-away user-data-dir.

Playwright disables Chromium's ``ThirdPartyStoragePartitioning`` feature by default. That does
not change cookies (``Partitioned`` cookies work either way) but it changes what an iframe
on another site gets from ``localStorage``/``sessionStorage``/IndexedDB: with the feature
off and third-party cookies blocked they throw ``SecurityError``; with cookies allowed they
are shared with the top-level site. Real Chrome partitions them by top-level site. We drop
Playwright's ``--disable-features`` argument and pass the same list without that feature, so
a framed tool sees what it would see in a real browser (the canary tests check this).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

CHROMIUM_PATH = "/usr/bin/chromium"

ThirdPartyCookies = Literal["blocked", "allowed"]

#: The switches INTEROP.md names for headless Chromium in these tests.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# Playwright 1.65's default ``--disable-features`` argument, verbatim (``ignore_default_args``
# matches whole arguments). If a Playwright upgrade changes it, the ignore no longer matches;
# ours still wins because Chromium keeps the last ``--disable-features`` it is given, and the
# storage-partitioning canary fails if partitioning is off again.
_PLAYWRIGHT_DISABLED_FEATURES: tuple[str, ...] = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
_PLAYWRIGHT_DISABLE_FEATURES_ARG = "--disable-features=" + ",".join(_PLAYWRIGHT_DISABLED_FEATURES)
_KEPT_FEATURES_OFF = tuple(
    f for f in _PLAYWRIGHT_DISABLED_FEATURES if f != "ThirdPartyStoragePartitioning"
)


@dataclass(frozen=True)
class Viewport:
    """A window size in CSS pixels."""

    width: int
    height: int

    def as_dict(self) -> dict[str, int]:
        return {"width": self.width, "height": self.height}


#: Extra Preferences that block every cookie, first- and third-party, partitioned or not (as
#: "Block all cookies" does): what a tool meets where partitioned cookies are unsupported.
BLOCK_ALL_COOKIES: Mapping[str, Any] = {
    "profile": {"default_content_setting_values": {"cookies": 2}}
}

PHONE = Viewport(320, 800)  # WCAG 1.4.10 reflow width
DESKTOP = Viewport(1280, 900)


@dataclass
class ChromiumSession:
    """A running Chromium: its persistent context, first page and profile folder."""

    context: BrowserContext
    page: Page
    user_data_dir: Path
    third_party_cookies: ThirdPartyCookies
    viewport: Viewport

    def new_page(self) -> Page:
        return self.context.new_page()

    def set_viewport(self, viewport: Viewport | tuple[int, int]) -> None:
        """Resize the first page (e.g. to ``PHONE``)."""
        size = viewport if isinstance(viewport, Viewport) else Viewport(*viewport)
        self.page.set_viewport_size(size.as_dict())
        self.viewport = size


def chromium_missing_reason(executable: str = CHROMIUM_PATH) -> str | None:
    """Why Chromium cannot be used here, or None when it can."""
    if not Path(executable).is_file():
        return (
            f"Chromium is not installed at {executable} "
            "(Debian package 'chromium'; .ci/run installs it)"
        )
    return None


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = dict(value) if isinstance(value, Mapping) else value
    return base


def write_profile_preferences(
    user_data_dir: Path,
    third_party_cookies: ThirdPartyCookies,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write the Default profile's Preferences so Chromium starts with this cookie policy
    (``extra`` is merged in, e.g. :data:`BLOCK_ALL_COOKIES`)."""
    if third_party_cookies not in ("blocked", "allowed"):
        raise ValueError(
            f"third_party_cookies must be 'blocked' or 'allowed', not {third_party_cookies!r}"
        )
    profile = user_data_dir / "Default"
    profile.mkdir(parents=True, exist_ok=True)
    prefs = profile / "Preferences"
    mode = 1 if third_party_cookies == "blocked" else 0
    preferences = _merge({"profile": {"cookie_controls_mode": mode}}, extra or {})
    prefs.write_text(json.dumps(preferences))
    return prefs


def chromium_args(extra: Sequence[str] = (), *, storage_partitioning: bool = True) -> list[str]:
    """The command-line switches for a session (Playwright adds its own defaults before them)."""
    args = list(CHROMIUM_FLAGS)
    if storage_partitioning:
        args.append("--disable-features=" + ",".join(_KEPT_FEATURES_OFF))
    args.extend(extra)
    return args


@contextmanager
def launch_chromium(
    playwright: Playwright | None = None,
    *,
    third_party_cookies: ThirdPartyCookies = "blocked",
    viewport: Viewport | tuple[int, int] = DESKTOP,
    user_data_dir: Path | None = None,
    args: Sequence[str] = (),
    preferences: Mapping[str, Any] | None = None,
    storage_partitioning: bool = True,
    timeout_ms: float = 10_000,
    executable: str = CHROMIUM_PATH,
) -> Iterator[ChromiumSession]:
    """Start Chromium on a fresh profile; yields a :class:`ChromiumSession` and closes it after.

    ``playwright``: a started Playwright driver to reuse; None starts (and stops) one here.
    ``third_party_cookies``: "blocked" (every current browser's default in an LMS iframe) or
    "allowed". ``preferences``: more profile Preferences (e.g. :data:`BLOCK_ALL_COOKIES`).
    ``args``: more Chromium switches. ``storage_partitioning=False`` keeps Playwright's
    default, unpartitioned third-party storage. ``timeout_ms`` is the default timeout for
    every action and navigation.
    """
    reason = chromium_missing_reason(executable)
    if reason:
        raise FileNotFoundError(reason)
    size = viewport if isinstance(viewport, Viewport) else Viewport(*viewport)
    with ExitStack() as stack:
        if playwright is None:
            playwright = stack.enter_context(sync_playwright())
        if user_data_dir is None:
            user_data_dir = Path(tempfile.mkdtemp(prefix="semh-chromium-"))
            stack.callback(shutil.rmtree, user_data_dir, ignore_errors=True)
        write_profile_preferences(user_data_dir, third_party_cookies, preferences)
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=executable,
            headless=True,
            args=chromium_args(args, storage_partitioning=storage_partitioning),
            ignore_default_args=(
                [_PLAYWRIGHT_DISABLE_FEATURES_ARG] if storage_partitioning else None
            ),
            ignore_https_errors=True,
            viewport=size.as_dict(),
            locale="en-GB",
            timeout=30_000,
        )
        stack.callback(context.close)
        context.set_default_timeout(timeout_ms)
        context.set_default_navigation_timeout(timeout_ms)
        page = context.pages[0] if context.pages else context.new_page()
        yield ChromiumSession(context, page, user_data_dir, third_party_cookies, size)
