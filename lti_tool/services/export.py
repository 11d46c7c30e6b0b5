"""Everything the tool holds about one person, for them to download."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lti_tool.models import AssessmentCycle, Membership, Person, PlanItem, Rating, StaffProfile


def person_export(session: Session, person_id: int) -> dict[str, Any]:
    """A JSON-ready record of the person, their courses, profiles, ratings, notes and plan."""
    person = session.get(Person, person_id)
    if person is None:
        return {}
    memberships = session.scalars(sa.select(Membership).where(Membership.person_id == person_id))
    profiles = session.scalars(sa.select(StaffProfile).where(StaffProfile.person_id == person_id))
    return {
        "person": {
            "platform": person.platform.issuer,
            "subject": person.subject,
            "name": person.name,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "email": person.email,
            "first_seen": person.created_at,
            "last_launch": person.last_launch_at,
        },
        "courses": [
            {
                "course": m.context.title or m.context.label,
                "roles": m.roles,
                "audience": m.audience,
                "last_launch": m.last_launch_at,
            }
            for m in memberships
        ],
        "frameworks": [_profile(session, p) for p in profiles],
    }


def _profile(session: Session, profile: StaffProfile) -> dict[str, Any]:
    cycles = session.scalars(
        sa.select(AssessmentCycle)
        .where(AssessmentCycle.profile_id == profile.id)
        .order_by(AssessmentCycle.number)
    )
    plan = session.scalars(sa.select(PlanItem).where(PlanItem.profile_id == profile.id))
    return {
        "framework": profile.framework_id,
        "roles": profile.roles,
        "group": profile.group,
        "suggested_group": profile.suggested_group,
        "send_overlay": profile.send_enabled,
        "cycles": [
            {
                "number": c.number,
                "label": c.label,
                "framework_version": c.framework_version,
                "group": c.group,
                "started": c.started_at,
                "completed": c.completed_at,
                "ratings": [
                    {
                        "competency": r.competency_id,
                        "rating": r.rating,
                        "evidence_note": r.evidence_note,
                        "private_note": r.private_note,
                        "updated": r.updated_at,
                    }
                    for r in session.scalars(sa.select(Rating).where(Rating.cycle_id == c.id))
                ],
            }
            for c in cycles
        ],
        "plan": [
            {
                "training": i.training_id,
                "added": i.added_at,
                "completed_on": i.completed_on,
                "evidence_note": i.evidence_note,
            }
            for i in plan
        ],
    }
