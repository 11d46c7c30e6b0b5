"""The ``xapi_outbox`` table, on ``xapi``'s own declarative base.

The app includes ``OutboxBase.metadata`` in its Alembic migrations. Column types are the
portable ones (String, Text, LargeBinary, Integer, DateTime(timezone=True)) so the same
migration runs on SQLite and PostgreSQL. Times are always written as UTC; SQLite returns them
naive, so read them through :func:`xapi.timeutil.as_utc`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Index, Integer, LargeBinary, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class OutboxBase(DeclarativeBase):
    """Declarative base of ``xapi``'s tables, with its own metadata and naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OutboxStatus(StrEnum):
    """Where a statement is in its life."""

    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class OutboxEntry(OutboxBase):
    """One statement waiting for, or done with, delivery to the LRS."""

    __tablename__ = "xapi_outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    """The statement id, lowercase canonical UUID."""
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    """The exact JSON bytes sent to the LRS (and exported)."""
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    """The worker that holds this row while it sends it."""
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    """When the claim lapses, so a crashed worker's rows are sent by another."""

    __table_args__ = (
        # The worker's claim: pending rows that are due, oldest first.
        Index("ix_xapi_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        # `xapi status` (age of the oldest pending row) and `xapi export` order.
        Index("ix_xapi_outbox_status_created_at", "status", "created_at"),
    )


outbox_table = OutboxEntry.__table__
