"""Settings come from the environment, with defaults and clear errors."""

from __future__ import annotations

import pytest

from xapi.errors import SettingsError
from xapi.settings import DEFAULT_DATABASE_URL, XapiSettings


def test_defaults_keep_statements_local_and_send_nothing_personal() -> None:
    settings = XapiSettings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite:///instance/semh-lti.sqlite3"
    assert settings.lrs_endpoint is None and not settings.lrs_configured
    assert settings.disclosure() == settings.disclosure().__class__()


def test_every_variable_is_read() -> None:
    settings = XapiSettings.from_env(
        {
            "DATABASE_URL": "postgresql+psycopg://u@db/semh",
            "XAPI_LRS_ENDPOINT": "https://lrs.example.org/xAPI",
            "XAPI_LRS_USERNAME": "key",
            "XAPI_LRS_PASSWORD": "secret",
            "XAPI_BATCH_SIZE": "25",
            "XAPI_CONNECT_TIMEOUT": "2.5",
            "XAPI_READ_TIMEOUT": "9",
            "XAPI_BACKOFF_BASE": "0.5",
            "XAPI_BACKOFF_CAP": "60",
            "XAPI_LEASE_SECONDS": "120",
            "XAPI_POLL_INTERVAL": "3",
            "XAPI_EXTENSION_BASE": "https://lrs.example.org/ext/",
            "XAPI_ACTIVITY_BASE": "https://lrs.example.org/act/",
            "XAPI_SEND_NAMES": "yes",
            "XAPI_SEND_EMAILS": "0",
            "XAPI_SEND_EVIDENCE_NOTES": "true",
        }
    )
    assert settings.lrs_endpoint == "https://lrs.example.org/xAPI/"
    assert (settings.batch_size, settings.connect_timeout, settings.read_timeout) == (25, 2.5, 9)
    assert (settings.backoff_base, settings.backoff_cap) == (0.5, 60)
    assert (settings.lease_seconds, settings.poll_interval) == (120, 3)
    assert settings.vocabulary().extension_base == "https://lrs.example.org/ext/"
    assert settings.disclosure().names and settings.disclosure().evidence_notes
    assert not settings.disclosure().emails
    assert "secret" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("XAPI_BATCH_SIZE", "lots", "XAPI_BATCH_SIZE must be a number"),
        ("XAPI_BATCH_SIZE", "0", "between 1 and 500"),
        ("XAPI_READ_TIMEOUT", "-1", "XAPI_READ_TIMEOUT must be positive"),
        ("XAPI_CONNECT_TIMEOUT", "nan", "must be a number"),
        ("XAPI_SEND_NAMES", "perhaps", "XAPI_SEND_NAMES must be true or false"),
        ("XAPI_LRS_ENDPOINT", "lrs.example.org", "must be an http"),
        ("XAPI_EXTENSION_BASE", "https://x.example/no-slash", "extension_base"),
    ],
)
def test_bad_values_are_named_in_the_error(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        XapiSettings.from_env({name: value})


def test_empty_variables_mean_unset() -> None:
    assert XapiSettings.from_env({"XAPI_LRS_ENDPOINT": "", "XAPI_BATCH_SIZE": " "}) == (
        XapiSettings()
    )
