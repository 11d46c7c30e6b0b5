"""Outbound HTTP for the LTI layer: requests sessions that never wait forever."""

from __future__ import annotations

from typing import Any

import requests

TIMEOUT = (5, 15)  # connect, read seconds


def session_with_timeouts(timeout: tuple[float, float] = TIMEOUT) -> requests.Session:
    """A requests session whose every call has a timeout (pylti1p3 sets none)."""
    session = requests.Session()
    send = session.request

    def request_with_timeout(method: str, url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", timeout)
        return send(method, url, **kwargs)

    session.request = request_with_timeout  # type: ignore[method-assign]
    return session
