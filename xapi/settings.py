"""All of ``xapi``'s configuration in one dataclass, read from the environment."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from xapi.errors import SettingsError
from xapi.inputs import Disclosure
from xapi.vocabulary import DEFAULT_ACTIVITY_BASE, DEFAULT_EXTENSION_BASE, Vocabulary

DEFAULT_DATABASE_URL = "sqlite:///instance/semh-lti.sqlite3"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class XapiSettings:
    """Configuration of statement delivery.

    Attributes:
        database_url: SQLAlchemy URL of the database holding the outbox (``DATABASE_URL``);
            a relative SQLite path is relative to the working directory.
        lrs_endpoint: The LRS's xAPI base URL, e.g. ``https://lrs.example/xAPI/``
            (``XAPI_LRS_ENDPOINT``). None: statements stay in the outbox.
        lrs_username: HTTP basic auth user (``XAPI_LRS_USERNAME``).
        lrs_password: HTTP basic auth password (``XAPI_LRS_PASSWORD``).
        batch_size: Statements per POST, 1 to 500 (``XAPI_BATCH_SIZE``).
        connect_timeout: Seconds to connect to the LRS (``XAPI_CONNECT_TIMEOUT``).
        read_timeout: Seconds to wait for its answer (``XAPI_READ_TIMEOUT``).
        backoff_base: First retry delay cap in seconds (``XAPI_BACKOFF_BASE``).
        backoff_cap: Largest retry delay in seconds (``XAPI_BACKOFF_CAP``).
        lease_seconds: How long a claimed batch stays reserved for its worker; a crashed
            worker's rows become claimable again after it (``XAPI_LEASE_SECONDS``). Keep it
            well above ``read_timeout``: a refused batch is re-sent one statement at a time.
        poll_interval: Seconds a worker sleeps when nothing is due (``XAPI_POLL_INTERVAL``).
        extension_base: Base of tool-owned extension IRIs (``XAPI_EXTENSION_BASE``).
        activity_base: Base of the tool's own activity IRIs (``XAPI_ACTIVITY_BASE``).
        send_names: Opt in to sending full names (``XAPI_SEND_NAMES``).
        send_emails: Opt in to identifying people by e-mail (``XAPI_SEND_EMAILS``).
        send_evidence_notes: Opt in to sending evidence notes (``XAPI_SEND_EVIDENCE_NOTES``).
    """

    database_url: str = DEFAULT_DATABASE_URL
    lrs_endpoint: str | None = None
    lrs_username: str | None = None
    lrs_password: str | None = field(default=None, repr=False)
    batch_size: int = 50
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    backoff_base: float = 2.0
    backoff_cap: float = 600.0
    lease_seconds: float = 300.0
    poll_interval: float = 10.0
    extension_base: str = DEFAULT_EXTENSION_BASE
    activity_base: str = DEFAULT_ACTIVITY_BASE
    send_names: bool = False
    send_emails: bool = False
    send_evidence_notes: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= 500:
            raise SettingsError(f"XAPI_BATCH_SIZE must be between 1 and 500, not {self.batch_size}")
        for name in (
            "connect_timeout",
            "read_timeout",
            "backoff_base",
            "backoff_cap",
            "lease_seconds",
            "poll_interval",
        ):
            if getattr(self, name) <= 0:
                raise SettingsError(f"XAPI_{name.upper()} must be positive")
        if self.backoff_cap < self.backoff_base:
            raise SettingsError("XAPI_BACKOFF_CAP must not be below XAPI_BACKOFF_BASE")
        if self.lrs_endpoint is not None:
            if not self.lrs_endpoint.startswith(("http://", "https://")):
                raise SettingsError(
                    f"XAPI_LRS_ENDPOINT must be an http(s) URL, not {self.lrs_endpoint!r}"
                )
            if not self.lrs_endpoint.endswith("/"):
                object.__setattr__(self, "lrs_endpoint", self.lrs_endpoint + "/")
        try:
            self.vocabulary()
        except ValueError as exc:
            raise SettingsError(str(exc)) from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> XapiSettings:
        """Read the settings from environment variables; unset ones keep their defaults.

        Args:
            environ: The variables to read; ``os.environ`` by default.

        Returns:
            The settings.

        Raises:
            SettingsError: If a variable holds a value that cannot be used, naming it.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for item in fields(cls):
            name = "DATABASE_URL" if item.name == "database_url" else f"XAPI_{item.name.upper()}"
            raw = env.get(name)
            if raw is None or (raw.strip() == "" and item.type != "bool"):
                continue
            values[item.name] = _parse(name, raw.strip(), str(item.type))
        return cls(**values)  # type: ignore[arg-type]

    @property
    def lrs_configured(self) -> bool:
        """True when an LRS endpoint is set."""
        return self.lrs_endpoint is not None

    def vocabulary(self) -> Vocabulary:
        """Return the tool-owned IRIs of this deployment."""
        return Vocabulary(extension_base=self.extension_base, activity_base=self.activity_base)

    def disclosure(self) -> Disclosure:
        """Return the personal data this deployment opted in to send."""
        return Disclosure(
            names=self.send_names, emails=self.send_emails, evidence_notes=self.send_evidence_notes
        )


def _parse(name: str, raw: str, kind: str) -> object:
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError(raw)
            return value
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if kind == "bool":
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise SettingsError(f"{name} must be true or false, not {raw!r}")
    return raw
