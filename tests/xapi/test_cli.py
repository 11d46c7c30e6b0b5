"""The ``xapi`` console script, run as a real process: output, exit status, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, update
from sqlalchemy.orm import Session

from tests.support.net import free_port
from tests.xapi import samples
from tests.xapi.conftest import cli_env
from tests.xapi.lrs_server import LearningLockerLRS
from xapi.outbox import OutboxBase, enqueue
from xapi.outbox.table import outbox_table
from xapi.settings import XapiSettings
from xapi.timeutil import utc_now

XAPI = Path(sys.executable).parent / "xapi"


def _run(
    env: dict[str, str],
    *args: str,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(XAPI), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _fill(engine: Engine, count: int) -> list:
    statements = samples.ratings(count)
    with Session(engine) as session:
        for index, statement in enumerate(statements):
            enqueue(
                session, statement, now=utc_now() - timedelta(minutes=10) + timedelta(seconds=index)
            )
        session.commit()
    return statements


def test_status_counts_each_state(
    outbox_engine: Engine, settings_for: Callable[..., XapiSettings]
) -> None:
    statements = _fill(outbox_engine, 4)
    with outbox_engine.begin() as conn:
        conn.execute(
            update(outbox_table)
            .where(outbox_table.c.id == str(statements[0].id))
            .values(status="dead")
        )
    result = _run(cli_env(settings_for(None)), "status")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "pending:   3",
        "delivered: 0",
        "dead:      1",
        "oldest pending: 9 min",
        "LRS: not configured (statements stay in the outbox)",
    ]


def test_export_writes_the_stored_bytes_as_json_lines(
    outbox_engine: Engine, settings_for: Callable[..., XapiSettings]
) -> None:
    statements = _fill(outbox_engine, 3)
    result = subprocess.run(
        [str(XAPI), "export", "--status", "pending"],
        env=cli_env(settings_for(None)),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [s.to_json_bytes() for s in statements]
    assert all(json.loads(line)["verb"]["display"] for line in result.stdout.splitlines())
    delivered = _run(cli_env(settings_for(None)), "export", "--status", "delivered")
    assert delivered.stdout == ""


def test_retry_dead_reports_how_many(
    outbox_engine: Engine, settings_for: Callable[..., XapiSettings]
) -> None:
    _fill(outbox_engine, 2)
    with outbox_engine.begin() as conn:
        conn.execute(update(outbox_table).values(status="dead"))
    result = _run(cli_env(settings_for(None)), "retry-dead")
    assert (result.returncode, result.stdout) == (0, "2 dead statement(s) put back to pending\n")


@pytest.mark.lrs
def test_worker_once_delivers_and_exits(
    outbox_engine: Engine, lrs: LearningLockerLRS, settings_for: Callable[..., XapiSettings]
) -> None:
    statements = _fill(outbox_engine, 12)
    result = _run(cli_env(settings_for(lrs.endpoint)), "worker", "--once")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "delivered 12, to retry 0, dead 0\n"
    assert lrs.stored(str(statements[-1].id)) is not None
    checked = _run(cli_env(settings_for(lrs.endpoint)), "status", "--check-lrs")
    assert checked.returncode == 0, checked.stderr
    assert "LRS answers; xAPI versions: ['1.0.3']" in checked.stdout


def test_worker_once_with_an_unreachable_lrs_says_so(
    outbox_engine: Engine, settings_for: Callable[..., XapiSettings]
) -> None:
    _fill(outbox_engine, 3)
    endpoint = f"http://127.0.0.1:{free_port()}/xAPI/"
    result = _run(cli_env(settings_for(endpoint)), "worker", "--once")
    assert result.returncode == 1
    assert result.stdout == "delivered 0, to retry 3, dead 0\n"
    assert f"Error: the LRS at {endpoint} failed: ConnectError" in result.stderr
    assert "3 statement(s) stay pending for a later retry" in result.stderr
    assert "Traceback" not in result.stderr
    status = _run(cli_env(settings_for(endpoint)), "status", "--check-lrs")
    assert status.returncode == 1 and "Traceback" not in status.stderr
    assert f"Error: the LRS at {endpoint} failed: ConnectError" in status.stderr


def test_worker_without_an_lrs_explains_where_statements_are(
    outbox_engine: Engine, settings_for: Callable[..., XapiSettings]
) -> None:
    result = _run(cli_env(settings_for(None)), "worker", "--once")
    assert result.returncode == 1
    assert "XAPI_LRS_ENDPOINT is not set" in result.stderr
    assert "xapi export" in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a database url", "DATABASE_URL is not a usable database URL"),
        ("nosuchdb://host/db", "DATABASE_URL is not a usable database URL"),
        ("sqlite:////nonexistent-dir/semh.sqlite3", "cannot open the database"),
        (
            f"postgresql+psycopg://semh:secret@127.0.0.1:{free_port()}/semh",
            "cannot open the database postgresql+psycopg://semh:***@127.0.0.1",
        ),
    ],
)
def test_a_bad_database_url_gives_one_clear_line(url: str, message: str) -> None:
    env = cli_env(XapiSettings(database_url=url))
    for command in ("status", "export", "retry-dead"):
        result = _run(env, command)
        assert result.returncode == 1
        assert result.stderr.startswith(f"Error: {message}"), result.stderr
        assert "Traceback" not in result.stderr
        assert "secret" not in result.stderr


def test_a_database_without_the_outbox_table_says_to_migrate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    result = _run(cli_env(XapiSettings(database_url=url)), "status")
    assert result.returncode == 1
    assert "has no xapi_outbox table; run the app's migrations" in result.stderr


def test_a_bad_setting_is_named(tmp_path: Path) -> None:
    env = cli_env(XapiSettings()) | {"XAPI_BATCH_SIZE": "many"}
    result = _run(env, "status")
    assert (result.returncode, result.stderr) == (
        1,
        "Error: XAPI_BATCH_SIZE must be a number, not 'many'\n",
    )


def test_default_database_is_instance_sqlite_relative_to_the_working_directory(
    tmp_path: Path,
) -> None:
    (tmp_path / "instance").mkdir()
    engine = create_engine(f"sqlite:///{tmp_path / 'instance' / 'semh-lti.sqlite3'}")
    OutboxBase.metadata.create_all(engine)
    _fill(engine, 2)
    engine.dispose()
    env = cli_env(XapiSettings())
    del env["DATABASE_URL"]
    result = _run(env, "status", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("pending:   2\n")


def test_cli_runs_as_python_dash_m_and_lists_its_commands(
    settings_for: Callable[..., XapiSettings],
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xapi.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=cli_env(settings_for(None)),
    )
    assert result.returncode == 0
    for command in ("status", "retry-dead", "export", "worker"):
        assert command in result.stdout
