"""Queueing completion scores for the gradebook; delivery lives in the LTI layer."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lti_tool.models import ResourceLink, ScoreSubmission

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


def can_grade(link: ResourceLink) -> bool:
    """Whether the platform lets us post a score for this link (now or via a created item)."""
    scopes = set(link.ags_scopes or ())
    if SCORE_SCOPE not in scopes:
        return False
    return bool(link.ags_lineitem_url) or (
        LINEITEM_SCOPE in scopes and bool(link.context.ags_lineitems_url)
    )


def queue_completion_score(
    session: Session, person_id: int, resource_link_id: int | None, now: datetime
) -> ScoreSubmission | None:
    """Queue "completed, 1 of 1" for the person on the link, if the platform takes grades.

    A completion score says the self-assessment was done; it never reflects the ratings,
    which are the person's private view of their own confidence.
    """
    link = session.get(ResourceLink, resource_link_id) if resource_link_id else None
    if link is None or not can_grade(link):
        return None
    previous = session.scalar(
        sa.select(sa.func.max(ScoreSubmission.timestamp)).where(
            ScoreSubmission.resource_link_id == link.id, ScoreSubmission.person_id == person_id
        )
    )
    timestamp = now.replace(microsecond=0)
    if previous is not None and timestamp <= previous:
        timestamp = previous + timedelta(seconds=1)
    submission = ScoreSubmission(
        resource_link_id=link.id,
        person_id=person_id,
        score_given=1.0,
        score_maximum=1.0,
        activity_progress="Completed",
        grading_progress="FullyGraded",
        comment="SEMH self-assessment completed",
        timestamp=timestamp,
        next_attempt_at=now,
    )
    session.add(submission)
    session.flush()
    return submission
