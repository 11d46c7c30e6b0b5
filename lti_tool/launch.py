"""What the rest of the app knows about a launch: plain people, contexts and roles.

The LTI layer builds a :class:`LaunchContext` from a validated launch; nothing outside
``lti_tool.lti`` sees LTI claims.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Audience(enum.IntEnum):
    """The tool's three audiences, ordered so that the highest applicable one wins."""

    STAFF = 1
    TRAINING_LEAD = 2
    LD_ADMIN = 3

    @property
    def label(self) -> str:
        """A plain-English name for pages."""
        return {
            Audience.STAFF: "Staff member",
            Audience.TRAINING_LEAD: "Training lead",
            Audience.LD_ADMIN: "Learning and development administrator",
        }[self]


@dataclass(frozen=True)
class PersonInfo:
    """The person who launched, as the platform identifies them."""

    issuer: str
    subject: str
    name: str = ""
    given_name: str = ""
    family_name: str = ""
    email: str = ""

    @property
    def display_name(self) -> str:
        """The best name to greet them with."""
        full = self.name or " ".join(p for p in (self.given_name, self.family_name) if p)
        return full or "there"


@dataclass(frozen=True)
class ContextInfo:
    """The LMS context (usually a course) the launch came from."""

    id: str
    label: str = ""
    title: str = ""
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceEndpoints:
    """Where the platform's grade and roster services are, when it offers them."""

    lineitem: str | None = None
    lineitems: str | None = None
    ags_scopes: tuple[str, ...] = ()
    memberships: str | None = None


@dataclass(frozen=True)
class LaunchContext:
    """A validated launch, in the app's own terms."""

    launch_id: str
    kind: str  # "resource" or "deep-link"
    issuer: str
    client_id: str
    deployment_id: str
    person: PersonInfo
    context: ContextInfo | None
    resource_link_id: str | None
    resource_link_title: str
    roles: tuple[str, ...]
    audience: Audience
    services: ServiceEndpoints = field(default_factory=ServiceEndpoints)
    custom: dict[str, Any] = field(default_factory=dict)
    locale: str = "en"
    return_url: str | None = None
