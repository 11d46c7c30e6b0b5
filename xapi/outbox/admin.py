"""Reading and repairing the outbox: counts, export, and retrying dead statements."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select, update

from xapi.outbox.table import OutboxStatus, outbox_table
from xapi.timeutil import as_utc, utc_now

_t = outbox_table.c


@dataclass(frozen=True)
class OutboxCounts:
    """How many statements are in each state, and the oldest one still pending."""

    pending: int
    delivered: int
    dead: int
    oldest_pending_at: datetime | None

    def oldest_pending_age(self, now: datetime | None = None) -> timedelta | None:
        """Return how long the oldest pending statement has waited, or None if none waits.

        Args:
            now: The current UTC time; defaults to the clock.

        Returns:
            The age, or None.
        """
        if self.oldest_pending_at is None:
            return None
        return (now or utc_now()) - self.oldest_pending_at


def outbox_counts(connection: Connection) -> OutboxCounts:
    """Count the outbox's rows by status.

    Args:
        connection: Any connection to the outbox's database.

    Returns:
        The counts.
    """
    by_status: dict[str, int] = {
        status: count
        for status, count in connection.execute(select(_t.status, func.count()).group_by(_t.status))
    }
    oldest = connection.execute(
        select(func.min(_t.created_at)).where(_t.status == OutboxStatus.PENDING.value)
    ).scalar_one_or_none()
    return OutboxCounts(
        pending=by_status.get(OutboxStatus.PENDING.value, 0),
        delivered=by_status.get(OutboxStatus.DELIVERED.value, 0),
        dead=by_status.get(OutboxStatus.DEAD.value, 0),
        oldest_pending_at=as_utc(oldest) if oldest is not None else None,
    )


def retry_dead(
    connection: Connection, *, ids: Iterable[str] | None = None, now: datetime | None = None
) -> int:
    """Put dead statements back to pending, due now (e.g. after fixing what the LRS rejected).

    Their last error is kept until the next attempt replaces it.

    Args:
        connection: A connection inside a transaction the caller commits.
        ids: Only these statement ids; all dead statements when None.
        now: When they fall due; defaults to the clock.

    Returns:
        How many statements were put back.
    """
    query = update(outbox_table).where(_t.status == OutboxStatus.DEAD.value)
    if ids is not None:
        query = query.where(_t.id.in_(list(ids)))
    result = connection.execute(
        query.values(
            status=OutboxStatus.PENDING.value,
            next_attempt_at=now or utc_now(),
            claimed_by=None,
            claimed_until=None,
        )
    )
    return result.rowcount


def export_statements(
    connection: Connection, *, status: OutboxStatus | None = None, batch: int = 500
) -> Iterator[bytes]:
    """Yield the stored statements' exact JSON bytes, oldest first.

    Args:
        connection: Any connection to the outbox's database.
        status: Only statements in this state; all when None.
        batch: Rows fetched per round trip.

    Yields:
        One statement's JSON per item, as stored and sent.
    """
    query = select(_t.payload).order_by(_t.created_at, _t.id)
    if status is not None:
        query = query.where(_t.status == status.value)
    result = connection.execution_options(yield_per=batch).execute(query)
    for (payload,) in result:
        yield bytes(payload)
