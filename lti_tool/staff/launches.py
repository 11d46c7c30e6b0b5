"""What a launch means for the staff journey: the "launched" statement."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lti_tool.delivery import journal
from lti_tool.launch import LaunchContext
from lti_tool.models import utcnow
from lti_tool.services import alignment
from lti_tool.services.launches import LaunchRecord


def note_launch(session: Session, launch: LaunchContext, record: LaunchRecord) -> None:
    """Enqueue "launched", naming the framework and group when they are known already."""
    if launch.kind != "resource":
        return
    framework_id = alignment.context_framework(session, record.context_id, launch.custom)
    framework = alignment.framework_by_id(framework_id) if framework_id else None
    profile = alignment.find_profile(session, record.person_id, framework.id) if framework else None
    journal().launched(session, launch, framework, profile.group if profile else None, utcnow())
