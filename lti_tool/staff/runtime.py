"""What staff views hand off: statements to the journal, completion scores to the gradebook."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lti_tool.delivery import journal, wake_grades_after_commit
from lti_tool.models import AssessmentCycle, utcnow
from lti_tool.services.grades import queue_completion_score
from lti_tool.staff.visit import Visit

__all__ = ["journal", "submit_completion_grade"]


def submit_completion_grade(session: Session, visit: Visit, cycle: AssessmentCycle) -> None:
    """Queue the completion score for the link the person launched from, if it takes grades."""
    queued = queue_completion_score(
        session,
        visit.record.person_id,
        visit.record.resource_link_id,
        cycle.completed_at or utcnow(),
    )
    if queued is not None:
        wake_grades_after_commit(session())  # type: ignore[operator]
