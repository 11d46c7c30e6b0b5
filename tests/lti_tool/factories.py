"""Factories for the tool's stored data, for tests below the HTTP layer."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from lti_tool.models import Person, Platform, StaffProfile


def platform(**overrides: object) -> Platform:
    """A registered platform with placeholder endpoints and a unique client id."""
    fields = {
        "issuer": "https://lms.example.org",
        "client_id": uuid.uuid4().hex,
        "auth_login_url": "https://lms.example.org/auth",
        "auth_token_url": "https://lms.example.org/token",
        "key_set_url": "https://lms.example.org/certs",
    } | overrides
    return Platform(**fields)


def staff_profile(
    session: Session,
    *,
    framework_id: str = "primary",
    group: str = "targeted",
    roles: tuple[str, ...] = ("senco",),
    send_enabled: bool = False,
) -> StaffProfile:
    """A person on a new platform, aligned to ``group`` of a framework, flushed."""
    person = Person(platform=platform(), subject=uuid.uuid4().hex)
    profile = StaffProfile(
        person=person,
        framework_id=framework_id,
        roles=list(roles),
        group=group,
        suggested_group=group,
        send_enabled=send_enabled,
    )
    session.add(profile)
    session.flush()
    return profile
