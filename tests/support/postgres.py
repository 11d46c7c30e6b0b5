"""Throw-away PostgreSQL databases on the server the tests may reach."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

SERVER_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def unreachable_reason() -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it can."""
    engine = sa.create_engine(SERVER_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver or network failure means "skip", with the reason
        return f"PostgreSQL not reachable at {SERVER_URL} ({type(exc).__name__}: {exc})"
    finally:
        engine.dispose()
    return None


@contextmanager
def temporary_database() -> Iterator[str]:
    """Create an empty database for one test run and drop it afterwards."""
    name = f"semh_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield (
            sa.engine.make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
