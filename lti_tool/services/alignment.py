"""Which framework a person works in, their roles, and the competency group they align to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from frameworks import Framework, FrameworkNotFoundError, get_framework, suggest_group
from frameworks.model import group_rank
from lti_tool.errors import InvalidInputError
from lti_tool.models import ContextSetting, StaffProfile, utcnow


def framework_by_id(framework_id: str) -> Framework:
    """A shipped framework, or an error naming the choices."""
    try:
        return get_framework(framework_id)
    except (FrameworkNotFoundError, KeyError):
        raise InvalidInputError(
            f"unknown framework {framework_id!r}",
            problem=f"There is no framework called “{framework_id}”. Choose one from the list.",
        ) from None


def context_framework(
    session: Session, context_pk: int | None, custom: dict[str, object]
) -> str | None:
    """The framework for a course: its setting, else the launch's ``framework`` parameter."""
    if context_pk is not None:
        setting = session.scalars(
            sa.select(ContextSetting).where(ContextSetting.context_id == context_pk)
        ).first()
        if setting is not None:
            return setting.framework_id
    chosen = custom.get("framework")
    if isinstance(chosen, str) and chosen:
        framework_by_id(chosen)
        return chosen
    return None


def context_send_enabled(session: Session, context_pk: int | None) -> bool:
    """Whether the course switches the SEND overlay on for everyone."""
    if context_pk is None:
        return False
    return bool(
        session.scalar(
            sa.select(ContextSetting.send_enabled).where(ContextSetting.context_id == context_pk)
        )
    )


def choose_context_framework(session: Session, context_pk: int, framework_id: str) -> None:
    """Record the framework chosen on first launch for a course that had none."""
    framework_by_id(framework_id)
    existing = session.scalars(
        sa.select(ContextSetting).where(ContextSetting.context_id == context_pk)
    ).first()
    if existing is None:
        session.add(ContextSetting(context_id=context_pk, framework_id=framework_id))
        session.flush()


def find_profile(session: Session, person_id: int, framework_id: str) -> StaffProfile | None:
    """The person's profile in this framework, if they have aligned already."""
    return session.scalars(
        sa.select(StaffProfile).where(
            StaffProfile.person_id == person_id, StaffProfile.framework_id == framework_id
        )
    ).first()


@dataclass(frozen=True)
class Alignment:
    """What the role picker suggests and why."""

    group: str
    deciding_role: str | None
    reason: str


def suggest(framework: Framework, role_ids: Sequence[str]) -> Alignment:
    """Suggest the highest group among the chosen roles, with a plain reason."""
    unknown = [r for r in role_ids if r not in framework.role_mapping()]
    if unknown:
        raise InvalidInputError(
            f"unknown roles {unknown}",
            problem="One of the roles you chose is not in this framework. "
            "Choose again from the list.",
        )
    if not role_ids:
        raise InvalidInputError("no roles", problem="Choose at least one role that you do.")
    suggestion = suggest_group(role_ids, framework.role_mapping())
    group = framework.group(suggestion.group)
    if suggestion.decided_by is None:
        return Alignment(group.id, None, f"{group.title} suits the roles you chose.")
    role = framework.role(suggestion.decided_by)
    reason = f"{role.label} is a role in the {group.title.lower()} group"
    if len(role_ids) > 1:
        reason += ", the highest group among the roles you chose"
    return Alignment(group.id, role.id, reason + ".")


def save_alignment(
    session: Session,
    person_id: int,
    framework: Framework,
    role_ids: Sequence[str],
    group: str,
    send_enabled: bool,
) -> StaffProfile:
    """Create or update the person's profile with their roles and chosen group."""
    if group not in {g.id for g in framework.groups}:
        raise InvalidInputError(
            f"unknown group {group!r}", problem="Choose one of the three groups."
        )
    suggested = suggest(framework, role_ids)
    profile = find_profile(session, person_id, framework.id)
    if profile is None:
        profile = StaffProfile(person_id=person_id, framework_id=framework.id)
        session.add(profile)
    profile.roles = list(dict.fromkeys(role_ids))
    profile.suggested_group = suggested.group
    profile.group = group
    profile.send_enabled = send_enabled
    profile.updated_at = utcnow()
    session.flush()
    return profile


def group_label(framework: Framework, group: str) -> str:
    """'Enhanced (includes core)' and the like."""
    title = framework.group(group).title
    lower = [g.title.lower() for g in framework.groups if group_rank(g.id) < group_rank(group)]
    return f"{title} (includes {' and '.join(lower)})" if lower else title
