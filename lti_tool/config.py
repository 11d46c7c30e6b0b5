"""The tool's one configuration object, read from environment variables with safe defaults."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from xapi.settings import SettingsError, XapiSettings

ENV_PREFIX = "SEMH_"


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message says which and how to fix it."""


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(ENV_PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{ENV_PREFIX}{name} must be a whole number, not {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{ENV_PREFIX}{name} must be greater than zero, not {value}.")
    return value


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(ENV_PREFIX + name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{ENV_PREFIX}{name} must be true or false, not {raw!r}.")


@dataclass(frozen=True)
class Settings:
    """Everything the tool reads from its environment.

    ``DATABASE_URL`` keeps its conventional name; every other variable starts with ``SEMH_``.
    """

    instance_path: Path
    secret_key: str
    database_url: str
    base_url: str | None = None
    demo_enabled: bool = False
    launch_ref_max_age: int = 3 * 60 * 60
    oidc_state_ttl: int = 10 * 60
    key_rotation_grace_days: int = 7
    dynamic_registration_enabled: bool = True
    support_url: str = "https://www.educationsupport.org.uk/"
    xapi: XapiSettings = field(default_factory=XapiSettings)

    @classmethod
    def from_env(cls, instance_path: Path, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        default_db = f"sqlite:///{instance_path / 'semh-lti.sqlite3'}"
        database_url = env.get("DATABASE_URL") or default_db
        if database_url.startswith("postgres://"):
            # Heroku-style URLs name a dialect SQLAlchemy no longer accepts.
            database_url = "postgresql://" + database_url.removeprefix("postgres://")
        if database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
        base_url = (env.get(ENV_PREFIX + "BASE_URL") or "").rstrip("/") or None
        if base_url and not base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"{ENV_PREFIX}BASE_URL must start with https:// (or http:// on loopback), "
                f"not {base_url!r}."
            )
        try:
            xapi = replace(XapiSettings.from_env(env), database_url=database_url)
        except SettingsError as error:
            raise ConfigError(str(error)) from None
        return cls(
            xapi=xapi,
            instance_path=instance_path,
            secret_key=env.get(ENV_PREFIX + "SECRET_KEY") or _instance_secret(instance_path),
            database_url=database_url,
            base_url=base_url,
            demo_enabled=_bool(env, "DEMO", False),
            launch_ref_max_age=_int(env, "LAUNCH_REF_MAX_AGE", 3 * 60 * 60),
            oidc_state_ttl=_int(env, "OIDC_STATE_TTL", 10 * 60),
            key_rotation_grace_days=_int(env, "KEY_ROTATION_GRACE_DAYS", 7),
            dynamic_registration_enabled=_bool(env, "DYNAMIC_REGISTRATION", True),
            support_url=env.get(ENV_PREFIX + "SUPPORT_URL") or cls.support_url,
        )

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        """A copy with some fields replaced (tests and the CLI use this)."""
        known = {k: v for k, v in overrides.items() if k in self.__dataclass_fields__}
        updated = replace(self, **known)
        if updated.xapi.database_url != updated.database_url:
            updated = replace(
                updated, xapi=replace(updated.xapi, database_url=updated.database_url)
            )
        return updated


def _instance_secret(instance_path: Path) -> str:
    """A random secret kept in the instance folder, so a fresh install needs no set-up."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret
