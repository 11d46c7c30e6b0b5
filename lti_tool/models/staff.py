"""A staff member's self-assessment: their profile, cycles, ratings and training plan."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_tool.models.base import Base, UTCDateTime, utcnow
from lti_tool.models.people import Context, Person

NOTE_MAX = 500
EVIDENCE_MAX = 300


class ContextSetting(Base):
    """Which framework a course uses, and whether the SEND overlay is on for everyone."""

    __tablename__ = "context_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contexts.id", ondelete="CASCADE"), unique=True
    )
    framework_id: Mapped[str] = mapped_column(sa.String(64))
    send_enabled: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffProfile(Base):
    """A person's alignment within one framework: their roles and competency group."""

    __tablename__ = "staff_profiles"
    __table_args__ = (sa.UniqueConstraint("person_id", "framework_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(sa.String(64))
    roles: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    group: Mapped[str] = mapped_column(sa.String(16))
    suggested_group: Mapped[str] = mapped_column(sa.String(16))
    send_enabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    cycles: Mapped[list[AssessmentCycle]] = relationship(
        back_populates="profile", order_by="AssessmentCycle.number", cascade="all, delete-orphan"
    )


class AssessmentCycle(Base):
    """One self-assessment round, e.g. an academic year or a re-assessment after training."""

    __tablename__ = "assessment_cycles"
    __table_args__ = (sa.UniqueConstraint("profile_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_profiles.id", ondelete="CASCADE"))
    number: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    framework_version: Mapped[str] = mapped_column(sa.String(32))
    group: Mapped[str] = mapped_column(sa.String(16))
    send_enabled: Mapped[bool] = mapped_column(default=False)
    registration: Mapped[str] = mapped_column(sa.String(36), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The context whose launch completed it, for the grade passed back.
    completed_in_context_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contexts.id", ondelete="SET NULL")
    )

    profile: Mapped[StaffProfile] = relationship(back_populates="cycles")
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan", order_by="Rating.id"
    )
    completed_in: Mapped[Context | None] = relationship()


class Rating(Base):
    """A self-rating of one competency in one cycle, with optional notes."""

    __tablename__ = "ratings"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "competency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_cycles.id", ondelete="CASCADE"))
    competency_id: Mapped[str] = mapped_column(sa.String(64))
    rating: Mapped[str] = mapped_column(sa.String(64))
    evidence_note: Mapped[str] = mapped_column(sa.String(EVIDENCE_MAX), default="")
    private_note: Mapped[str] = mapped_column(sa.String(NOTE_MAX), default="")
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle: Mapped[AssessmentCycle] = relationship(back_populates="ratings")


class PlanItem(Base):
    """A training item a person has added to their plan, and its completion."""

    __tablename__ = "plan_items"
    __table_args__ = (sa.UniqueConstraint("profile_id", "training_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_profiles.id", ondelete="CASCADE"))
    training_id: Mapped[str] = mapped_column(sa.String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_on: Mapped[date | None] = mapped_column(sa.Date)
    evidence_note: Mapped[str] = mapped_column(sa.String(EVIDENCE_MAX), default="")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    profile: Mapped[StaffProfile] = relationship()
