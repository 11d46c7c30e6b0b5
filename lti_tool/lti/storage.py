"""Server-side storage of OIDC state, nonces and launch data, and the login cookie.

pylti1p3 keeps launch data in Flask's cookie session by default, which overflows the 4 KB
cookie limit after a few launches and never consumes nonces. Here every value lives in the
``lti_storage`` table with an expiry, each write commits on its own connection so an error
page's rollback cannot resurrect a consumed nonce, and a nonce can be checked only once.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Response
from flask import request as flask_request
from pylti1p3.cookie import CookieService
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from sqlalchemy.engine import Engine

from lti_tool.models import LtiStorageItem, utcnow

NONCE_PREFIX = "lti1p3-nonce-"
_table = LtiStorageItem.__table__
_last_sweep = 0.0


class DatabaseLaunchDataStorage(LaunchDataStorage[Any]):
    """Launch data in the database; no session id, so no cookie is needed to find it."""

    _session_cookie_name = ""

    def __init__(self, engine: Engine, default_ttl: int = 24 * 60 * 60) -> None:
        super().__init__()
        self._engine = engine
        self._default_ttl = default_ttl

    def get_session_cookie_name(self) -> str | None:
        return None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        with self._engine.connect() as conn:
            raw = conn.scalar(
                sa.select(_table.c.value).where(
                    _table.c.key == self._prepare_key(key), _table.c.expires_at > utcnow()
                )
            )
        return None if raw is None else json.loads(raw)

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        full_key = self._prepare_key(key)
        expires_at = utcnow() + timedelta(seconds=exp or self._default_ttl)
        payload = json.dumps(value, separators=(",", ":"))
        with self._engine.begin() as conn:
            updated = conn.execute(
                sa.update(_table)
                .where(_table.c.key == full_key)
                .values(value=payload, expires_at=expires_at)
            ).rowcount
            if not updated:
                conn.execute(
                    sa.insert(_table).values(key=full_key, value=payload, expires_at=expires_at)
                )

    def take_value(self, key: str) -> Any:
        """Read a value and delete it in one transaction, so it can be used once."""
        full_key = self._prepare_key(key)
        live = sa.and_(_table.c.key == full_key, _table.c.expires_at > utcnow())
        with self._engine.begin() as conn:
            raw = conn.scalar(sa.select(_table.c.value).where(live))
            if raw is None or not conn.execute(sa.delete(_table).where(live)).rowcount:
                return None
        return json.loads(raw)

    def check_value(self, key: str) -> bool:
        full_key = self._prepare_key(key)
        live = sa.and_(_table.c.key == full_key, _table.c.expires_at > utcnow())
        with self._engine.begin() as conn:
            if full_key.startswith(NONCE_PREFIX):
                # Consuming the nonce here is what makes a replayed id_token fail.
                return bool(conn.execute(sa.delete(_table).where(live)).rowcount)
            return conn.scalar(sa.select(sa.func.count()).where(live)) > 0

    def delete_expired(self, *, every: float = 0.0) -> int:
        """Drop expired entries; returns how many went.

        With ``every``, runs at most once per that many seconds in this process, so busy
        logins do not each pay for a sweep.
        """
        global _last_sweep
        now = time.monotonic()
        if every and now - _last_sweep < every:
            return 0
        _last_sweep = now
        with self._engine.begin() as conn:
            return int(
                conn.execute(sa.delete(_table).where(_table.c.expires_at <= utcnow())).rowcount
            )


class PartitionedCookieService(CookieService):
    """Cookies for the login → launch hop that work inside an LMS iframe.

    Over HTTPS they are ``SameSite=None; Secure; Partitioned`` (CHIPS), which browsers that
    block third-party cookies still accept in a frame. Over plain HTTP (loopback development
    only) they fall back to ``SameSite=Lax``.
    """

    def __init__(self, secure: bool) -> None:
        self._secure = secure
        self._to_set: dict[str, tuple[str, int | None]] = {}

    def _key(self, name: str) -> str:
        return f"{self._cookie_prefix}-{name}"

    def get_cookie(self, name: str) -> str | None:
        return flask_request.cookies.get(self._key(name))

    def set_cookie(self, name: str, value: str | int, exp: int | None = 3600) -> None:
        self._to_set[self._key(name)] = (str(value), exp)

    def update_response(self, response: Response) -> None:
        """Write the collected cookies onto ``response``."""
        for key, (value, max_age) in self._to_set.items():
            if self._secure:
                response.set_cookie(
                    key,
                    value,
                    max_age=max_age,
                    path="/",
                    httponly=True,
                    secure=True,
                    samesite="None",
                    partitioned=True,
                )
            else:
                response.set_cookie(
                    key, value, max_age=max_age, path="/", httponly=True, samesite="Lax"
                )
