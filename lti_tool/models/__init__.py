"""The tool's persistent models; import them from here."""

from lti_tool.models.base import Base, utcnow
from lti_tool.models.keys import ToolKey
from lti_tool.models.lti_storage import LtiStorageItem
from lti_tool.models.people import Context, Membership, Person, ResourceLink
from lti_tool.models.platforms import Deployment, Platform

__all__ = [
    "Base",
    "Context",
    "Deployment",
    "LtiStorageItem",
    "Membership",
    "Person",
    "Platform",
    "ResourceLink",
    "ToolKey",
    "utcnow",
]
