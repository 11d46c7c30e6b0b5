"""A person's training plan: adding training and recording what they completed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from frameworks import Framework
from lti_tool.errors import InvalidInputError, NotFoundError
from lti_tool.models import PlanItem, StaffProfile, utcnow
from lti_tool.models.staff import EVIDENCE_MAX


def local_today() -> date:
    """Today's date where the staff are (UK), for completion dates."""
    return datetime.now(ZoneInfo("Europe/London")).date()


def plan_of(session: Session, profile: StaffProfile) -> list[PlanItem]:
    """Plan items, oldest first."""
    return list(
        session.scalars(
            sa.select(PlanItem).where(PlanItem.profile_id == profile.id).order_by(PlanItem.id)
        )
    )


def add_to_plan(
    session: Session, profile: StaffProfile, framework: Framework, training_id: str
) -> PlanItem:
    """Add a training item to the plan; adding it twice keeps one entry."""
    try:
        framework.training_item(training_id)
    except KeyError:
        raise InvalidInputError(
            f"unknown training {training_id!r}",
            problem="That training is not in this framework. Choose from the list.",
        ) from None
    existing = session.scalars(
        sa.select(PlanItem).where(
            PlanItem.profile_id == profile.id, PlanItem.training_id == training_id
        )
    ).first()
    if existing is not None:
        return existing
    item = PlanItem(profile_id=profile.id, training_id=training_id)
    session.add(item)
    session.flush()
    return item


def _plan_item(session: Session, profile: StaffProfile, item_id: int) -> PlanItem:
    item = session.get(PlanItem, item_id)
    if item is None or item.profile_id != profile.id:
        raise NotFoundError(f"plan item {item_id}", what="That training in your plan")
    return item


def remove_from_plan(session: Session, profile: StaffProfile, item_id: int) -> None:
    """Take a not-yet-completed item off the plan."""
    item = _plan_item(session, profile, item_id)
    if item.completed_on is not None:
        raise InvalidInputError(
            "completed item", problem="Training you have completed stays on your record."
        )
    session.delete(item)
    session.flush()


def parse_completion_date(day: str, month: str, year: str, today: date) -> date:
    """A completion date from the three boxes of a date input, checked for sense."""
    try:
        completed = date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"bad date {day}/{month}/{year}",
            problem="Enter the date you completed the training as day, month and year, "
            "for example 27 3 2026.",
        ) from None
    if completed > today:
        raise InvalidInputError(
            "future date", problem="The completion date must be today or in the past."
        )
    if completed.year < 2000:
        raise InvalidInputError("ancient date", problem="Enter a year after 2000.")
    return completed


def record_completion(
    session: Session,
    profile: StaffProfile,
    item_id: int,
    completed_on: date,
    evidence_note: str | None,
) -> tuple[PlanItem, bool]:
    """Record training as completed; returns the item and whether anything changed."""
    item = _plan_item(session, profile, item_id)
    note = (evidence_note or "").strip()
    if len(note) > EVIDENCE_MAX:
        raise InvalidInputError(
            "evidence too long",
            problem=f"Your note is {len(note)} characters long; "
            f"keep it to {EVIDENCE_MAX} or fewer.",
        )
    if (item.completed_on, item.evidence_note) == (completed_on, note):
        return item, False
    item.completed_on = completed_on
    item.evidence_note = note
    item.completed_at = utcnow()
    session.flush()
    return item, True
