"""pylti1p3's message launch with the platform's key set cached in the process.

Without a cache pylti1p3 fetches the platform's JWKS on every launch. Keys are cached for a
few minutes; a token signed with a key id we have not seen refetches once, so a platform's
key rotation takes effect at once.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from pylti1p3.contrib.flask import FlaskMessageLaunch
from pylti1p3.exception import LtiKeyException

KEY_SET_TTL = 300.0
_cache: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


class CachingMessageLaunch(FlaskMessageLaunch):  # type: ignore[misc]
    """A Flask message launch whose platform key sets are cached per process."""

    def fetch_public_key(self, key_set_url: str) -> Any:
        with _lock:
            cached = _cache.get(key_set_url)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        key_set = super().fetch_public_key(key_set_url)
        with _lock:
            _cache[key_set_url] = (time.monotonic() + KEY_SET_TTL, key_set)
        return key_set

    def get_public_key(self) -> tuple[str, str]:
        try:
            return super().get_public_key()  # type: ignore[no-any-return]
        except LtiKeyException as error:
            url = self._registration.get_key_set_url() if self._registration else None
            if str(error) != "Unable to find public key" or not url:
                raise
            with _lock:
                stale = _cache.pop(url, None)
            if stale is None:
                raise
            self._registration.set_key_set(None)
            return super().get_public_key()  # type: ignore[no-any-return]


def forget_key_sets() -> None:
    """Drop every cached key set (tests and key-rotation drills use this)."""
    with _lock:
        _cache.clear()
