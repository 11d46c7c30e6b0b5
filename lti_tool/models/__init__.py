"""The tool's persistent models; import them from here."""

from lti_tool.models.base import Base, utcnow
from lti_tool.models.grades import ScoreSubmission
from lti_tool.models.keys import ToolKey
from lti_tool.models.lti_storage import LtiStorageItem
from lti_tool.models.people import Context, Membership, Person, ResourceLink
from lti_tool.models.platforms import Deployment, Platform
from lti_tool.models.staff import (
    AssessmentCycle,
    ContextSetting,
    PlanItem,
    Rating,
    StaffProfile,
)

__all__ = [
    "AssessmentCycle",
    "Base",
    "Context",
    "ContextSetting",
    "Deployment",
    "LtiStorageItem",
    "Membership",
    "Person",
    "PlanItem",
    "Platform",
    "Rating",
    "ResourceLink",
    "ScoreSubmission",
    "StaffProfile",
    "ToolKey",
    "utcnow",
]
