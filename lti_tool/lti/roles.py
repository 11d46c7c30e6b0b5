"""LTI roles, in every spelling platforms send, mapped to the tool's audiences.

Platforms send full URIs in launches (Moodle: ``…/membership#Instructor``), short names in
NRPS answers (``Instructor``), sub-roles (``…/membership/Instructor#TeachingAssistant``) and
LTI 1.1 URNs. This is the one place that reads them.
"""

from __future__ import annotations

from collections.abc import Iterable

from lti_tool.launch import Audience

_LIS = "http://purl.imsglobal.org/vocab/lis/v2/"

TRAINING_LEAD_ROLES = frozenset({"Instructor", "ContentDeveloper", "Mentor", "TeachingAssistant"})


def _parse(role: str) -> tuple[str, str]:
    """Split a role into (kind, name): kind is context, institution or system."""
    role = role.strip()
    if role.startswith(_LIS):
        scope, _, name = role[len(_LIS) :].partition("#")
        kind = scope.split("/")[0]
        if kind == "membership" and "/" in scope and name:
            return ("context", name)  # a sub-role such as membership/Instructor#TeachingAssistant
        return {"membership": "context", "institution": "institution", "system": "system"}.get(
            kind, "other"
        ), name
    if role.startswith("urn:lti:"):
        kind_part, _, path = role[len("urn:lti:") :].partition(":")
        name = path.rsplit("/", 1)[-1]
        kinds = {"role": "context", "instrole": "institution", "sysrole": "system"}
        return kinds.get(kind_part, "other"), name
    # A bare short name (NRPS, LTI 1.3 §A.2.3.1 deprecated short form) is a context role.
    return ("context", role)


def normalise_roles(roles: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Roles as (kind, name) pairs, duplicates removed, order kept."""
    return tuple(dict.fromkeys(_parse(r) for r in roles if r and r.strip()))


def audience_for(roles: Iterable[str]) -> Audience:
    """The highest audience any of the roles grants; everyone is at least staff."""
    audience = Audience.STAFF
    for kind, name in normalise_roles(roles):
        if kind in {"institution", "system"} and name in {"Administrator", "SysAdmin"}:
            return Audience.LD_ADMIN
        if kind == "context" and (name in TRAINING_LEAD_ROLES or name == "Administrator"):
            audience = Audience.TRAINING_LEAD
    return audience
