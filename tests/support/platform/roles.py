"""LTI role vocabulary: short names to the full URIs a launch carries, and back for NRPS."""

from __future__ import annotations

from collections.abc import Iterable

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
SYSTEM = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"
_MEMBERSHIP_SUB = "http://purl.imsglobal.org/vocab/lis/v2/membership/"

LEARNER = MEMBERSHIP + "Learner"
INSTRUCTOR = MEMBERSHIP + "Instructor"
STUDENT_ROLES: tuple[str, ...] = (LEARNER,)
TEACHER_ROLES: tuple[str, ...] = (INSTRUCTOR,)
# What Moodle 4.5 sends for a site administrator who teaches the course.
ADMIN_ROLES: tuple[str, ...] = (INSTITUTION + "Administrator", INSTRUCTOR, SYSTEM + "Administrator")


def role_uri(role: str) -> str:
    """The full LTI role URI for ``role``.

    Accepts a full URI (kept as is), a membership short name (``"Learner"``), a sub-role
    (``"Instructor#TeachingAssistant"``), or ``"institution:Administrator"`` /
    ``"system:Administrator"`` for the person roles.
    """
    if "://" in role or role.startswith("urn:"):
        return role
    if role.startswith("institution:"):
        return INSTITUTION + role.removeprefix("institution:")
    if role.startswith("system:"):
        return SYSTEM + role.removeprefix("system:")
    if "#" in role:
        return _MEMBERSHIP_SUB + role
    return MEMBERSHIP + role


def role_uris(roles: Iterable[str]) -> list[str]:
    """Every role as a full URI, in order, without duplicates."""
    out: list[str] = []
    for role in roles:
        uri = role_uri(role)
        if uri not in out:
            out.append(uri)
    return out


def nrps_role(uri: str) -> str:
    """The role as Moodle's NRPS service writes it: membership roles by short name."""
    if uri.startswith(MEMBERSHIP):
        return uri.removeprefix(MEMBERSHIP)
    return uri
