"""Claiming due outbox rows for one worker, safely against other workers.

A claim is one ``UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED) RETURNING``
in its own short transaction. On PostgreSQL, ``SKIP LOCKED`` lets several ``xapi worker``
processes claim side by side without waiting on or double-claiming each other's rows; a row
another worker claimed a moment earlier fails the re-checked ``claimed_until`` condition. On
SQLite, ``FOR UPDATE`` is not rendered and the database-wide write lock serialises claims;
run a single worker there. Either way the claim is a lease (``claimed_until``): the rows of a
worker that died mid-batch become claimable again once it lapses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, case, func, or_, select, update

from xapi.outbox.table import OutboxStatus, outbox_table
from xapi.timeutil import as_utc

_t = outbox_table.c


@dataclass(frozen=True)
class ClaimedRow:
    """A row a worker holds: what to send and how often it was tried before."""

    id: str
    payload: bytes
    attempts: int
    created_at: datetime


def claim_batch(
    connection: Connection, *, worker_id: str, limit: int, now: datetime, lease: timedelta
) -> list[ClaimedRow]:
    """Claim up to ``limit`` due pending rows for ``worker_id``.

    Args:
        connection: A connection inside a transaction the caller commits straight after.
        worker_id: The claiming worker's unique name.
        limit: The most rows to claim.
        now: The current UTC time.
        lease: How long the claim holds.

    Returns:
        The claimed rows, oldest first.
    """
    due = (
        select(_t.id)
        .where(
            _t.status == OutboxStatus.PENDING.value,
            _t.next_attempt_at <= now,
            or_(_t.claimed_until.is_(None), _t.claimed_until <= now),
        )
        .order_by(_t.next_attempt_at, _t.created_at, _t.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = connection.execute(
        update(outbox_table)
        .where(_t.id.in_(due.scalar_subquery()))
        .values(claimed_by=worker_id, claimed_until=now + lease)
        .returning(_t.id, _t.payload, _t.attempts, _t.created_at)
    ).all()
    rows = [
        ClaimedRow(row.id, bytes(row.payload), row.attempts, as_utc(row.created_at))
        for row in claimed
    ]
    rows.sort(key=lambda row: (row.created_at, row.id))
    return rows


def next_claimable_at(connection: Connection) -> datetime | None:
    """Return when the next pending row becomes claimable, or None if none is pending.

    Args:
        connection: Any connection.

    Returns:
        The later of a row's ``next_attempt_at`` and ``claimed_until``, minimised over rows.
    """
    ready = case(
        (_t.claimed_until > _t.next_attempt_at, _t.claimed_until), else_=_t.next_attempt_at
    )
    value = connection.execute(
        select(func.min(ready)).where(_t.status == OutboxStatus.PENDING.value)
    ).scalar_one_or_none()
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back a CASE over DateTime columns as text
        value = datetime.fromisoformat(value)
    return as_utc(value)
