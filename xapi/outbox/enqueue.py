"""Adding a statement to the outbox inside the caller's own transaction."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from xapi.models import Statement
from xapi.outbox.table import OutboxEntry, OutboxStatus, outbox_table
from xapi.timeutil import utc_now

logger = logging.getLogger(__name__)

_AFTER_COMMIT_KEY = "xapi.outbox.after_commit"
_listening = False
_listen_lock = threading.Lock()
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def enqueue(
    session: Session,
    statement: Statement,
    *,
    on_commit: Callable[[], None] | None = None,
    now: datetime | None = None,
) -> bool:
    """Add ``statement`` to the outbox in the session's current transaction, without committing.

    The row commits or rolls back with the change it describes. Enqueueing the same statement
    id again is harmless: the first row is kept (on SQLite and PostgreSQL through
    ``INSERT … ON CONFLICT DO NOTHING``, so even two concurrent transactions cannot fail on it).

    Args:
        session: The caller's session (e.g. Flask-SQLAlchemy's ``db.session``).
        statement: The statement to deliver.
        on_commit: Called once after the session's transaction commits, e.g.
            ``worker.wake`` so delivery starts at once; never called on rollback.
        now: The enqueue time, for tests; defaults to the current UTC time.

    Returns:
        True if a new row was added, False if the id was already in the outbox.

    Raises:
        ValueError: If the session's database is neither SQLite nor PostgreSQL.
    """
    return bool(enqueue_many(session, [statement], on_commit=on_commit, now=now))


def enqueue_many(
    session: Session,
    statements: Sequence[Statement],
    *,
    on_commit: Callable[[], None] | None = None,
    now: datetime | None = None,
) -> int:
    """Add several statements in one INSERT, with the same guarantees as :func:`enqueue`.

    Args:
        session: The caller's session.
        statements: The statements to deliver, in order.
        on_commit: Called once after the session's transaction commits.
        now: The enqueue time, for tests; defaults to the current UTC time.

    Returns:
        How many new rows were added (ids already in the outbox are kept as they were).

    Raises:
        ValueError: If the session's database is neither SQLite nor PostgreSQL.
    """
    if not statements:
        return 0
    now = now or utc_now()
    payloads = {str(s.id): s.to_json_bytes() for s in statements}
    rows = [
        {
            "id": statement_id,
            "payload": payload,
            "status": OutboxStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for statement_id, payload in payloads.items()
    ]
    dialect = session.get_bind(mapper=OutboxEntry).dialect.name
    insert = _INSERTS.get(dialect)
    if insert is None:
        raise ValueError(f"the xAPI outbox supports SQLite and PostgreSQL, not {dialect}")
    # Both drivers count an executemany's rows reliably once SQLAlchemy is asked to keep the
    # count; that is cheaper than RETURNING, and the rare shortfall (ids already held) is
    # looked up afterwards.
    inserted = session.execute(
        insert(outbox_table)
        .on_conflict_do_nothing(index_elements=["id"])
        .execution_options(preserve_rowcount=True),
        rows,
    )
    added = inserted.rowcount
    if added < len(rows):
        _warn_if_any_differ(session, payloads)
    if on_commit is not None:
        _call_after_commit(session, on_commit)
    return added


def _warn_if_any_differ(session: Session, payloads: dict[str, bytes]) -> None:
    held = session.execute(
        select(outbox_table.c.id, outbox_table.c.payload).where(outbox_table.c.id.in_(payloads))
    )
    for statement_id, payload in held:
        if bytes(payload) != payloads[statement_id]:
            # Same event key, different content: a builder key that misses a part of the event.
            logger.warning(
                "statement %s enqueued again with different content; the first is kept",
                statement_id,
            )


def _call_after_commit(session: Session, callback: Callable[[], None]) -> None:
    global _listening
    with _listen_lock:
        if not _listening:
            event.listen(Session, "after_commit", _run_callbacks)
            event.listen(Session, "after_rollback", _drop_callbacks)
            _listening = True
    callbacks: list[Callable[[], None]] = session.info.setdefault(_AFTER_COMMIT_KEY, [])
    if callback not in callbacks:
        callbacks.append(callback)


def _run_callbacks(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT_KEY, ()):
        try:
            callback()
        except Exception:  # a failed wake-up must not turn a committed change into an error
            logger.exception("after-commit callback of the xAPI outbox failed")


def _drop_callbacks(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT_KEY, None)
