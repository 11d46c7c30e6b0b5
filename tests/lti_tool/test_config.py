"""Settings come from the environment with safe defaults and clear errors."""

from pathlib import Path

import pytest

from lti_tool.config import ConfigError, Settings


def test_defaults_need_no_setup(tmp_path: Path) -> None:
    settings = Settings.from_env(tmp_path, {})
    assert settings.database_url == f"sqlite:///{tmp_path / 'semh-lti.sqlite3'}"
    assert len(settings.secret_key) > 40
    assert (
        Settings.from_env(tmp_path, {}).secret_key == settings.secret_key
    )  # kept, not regenerated
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert settings.demo_enabled is False


def test_postgres_urls_use_psycopg(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "postgres://u@db/x", "SEMH_SECRET_KEY": "k"}
    assert Settings.from_env(tmp_path, env).database_url == "postgresql+psycopg://u@db/x"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SEMH_LAUNCH_REF_MAX_AGE": "soon"}, "SEMH_LAUNCH_REF_MAX_AGE must be a whole number"),
        ({"SEMH_LAUNCH_REF_MAX_AGE": "-5"}, "must be greater than zero"),
        ({"SEMH_DEMO": "perhaps"}, "SEMH_DEMO must be true or false"),
        ({"SEMH_BASE_URL": "tool.example.org"}, "SEMH_BASE_URL must start with https://"),
    ],
)
def test_bad_values_are_explained(tmp_path: Path, env: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(tmp_path, {"SEMH_SECRET_KEY": "k", **env})
