"""Scores waiting to go back to the platform's gradebook (LTI Assignment and Grade Services)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_tool.models.base import Base, UTCDateTime, utcnow
from lti_tool.models.people import Person, ResourceLink


class ScoreSubmission(Base):
    """One score to post, retried until the platform accepts it or refuses it for good."""

    __tablename__ = "score_outbox"
    __table_args__ = (sa.Index("ix_score_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_link_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource_links.id", ondelete="CASCADE")
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    score_given: Mapped[float]
    score_maximum: Mapped[float]
    activity_progress: Mapped[str] = mapped_column(sa.String(32))
    grading_progress: Mapped[str] = mapped_column(sa.String(32))
    comment: Mapped[str] = mapped_column(sa.String(500), default="")
    # The AGS timestamp: strictly increasing per link and person, since Moodle refuses a
    # score that is not newer than the one it holds (1-second resolution).
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    resource_link: Mapped[ResourceLink] = relationship()
    person: Mapped[Person] = relationship()
