"""Recording a launch: upsert the person, context, resource link and membership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lti_tool.launch import LaunchContext
from lti_tool.models import Context, Membership, Person, ResourceLink, utcnow
from lti_tool.services.platforms import find_deployment, find_platform


@dataclass(frozen=True)
class LaunchRecord:
    """Database ids for what the launch touched."""

    person_id: int
    context_id: int | None
    resource_link_id: int | None


def record_launch(session: Session, launch: LaunchContext) -> LaunchRecord:
    """Upsert everything the launch tells us; flushes, never commits."""
    platform = find_platform(session, launch.issuer, launch.client_id)
    if platform is None:
        raise LookupError(f"platform {launch.issuer} {launch.client_id} vanished mid-launch")
    deployment = find_deployment(session, platform, launch.deployment_id)
    if deployment is None:
        raise LookupError(f"deployment {launch.deployment_id} vanished mid-launch")
    now = utcnow()
    deployment.last_launch_at = now
    person = _upsert_person(session, platform.id, launch, now)
    if launch.context is None:
        session.flush()
        return LaunchRecord(person.id, None, None)
    context = _upsert_context(session, deployment.id, launch)
    membership = session.scalars(
        sa.select(Membership).where(
            Membership.person_id == person.id, Membership.context_id == context.id
        )
    ).first()
    if membership is None:
        membership = Membership(person=person, context=context, audience="", roles=[])
        session.add(membership)
    membership.audience = launch.audience.name.lower()
    membership.roles = list(launch.roles)
    membership.last_launch_at = now
    link = _upsert_link(session, context, launch) if launch.resource_link_id else None
    session.flush()
    return LaunchRecord(person.id, context.id, link.id if link else None)


def _upsert_person(
    session: Session, platform_id: int, launch: LaunchContext, now: datetime
) -> Person:
    info = launch.person
    person = session.scalars(
        sa.select(Person).where(Person.platform_id == platform_id, Person.subject == info.subject)
    ).first()
    if person is None:
        person = Person(platform_id=platform_id, subject=info.subject)
        session.add(person)
    # Platforms omit names when privacy settings say so; keep what we knew rather than blank it.
    person.name = info.name or person.name or ""
    person.given_name = info.given_name or person.given_name or ""
    person.family_name = info.family_name or person.family_name or ""
    person.email = info.email or person.email or ""
    person.last_launch_at = now
    return person


def _upsert_context(session: Session, deployment_pk: int, launch: LaunchContext) -> Context:
    info = launch.context
    if info is None:
        raise ValueError("a launch without a context has no context to record")
    context = session.scalars(
        sa.select(Context).where(
            Context.deployment_id == deployment_pk, Context.context_id == info.id
        )
    ).first()
    if context is None:
        context = Context(deployment_id=deployment_pk, context_id=info.id)
        session.add(context)
    context.label = info.label
    context.title = info.title
    context.types = list(info.types)
    context.nrps_url = launch.services.memberships or context.nrps_url
    context.ags_lineitems_url = launch.services.lineitems or context.ags_lineitems_url
    return context


def _upsert_link(session: Session, context: Context, launch: LaunchContext) -> ResourceLink:
    link = session.scalars(
        sa.select(ResourceLink).where(
            ResourceLink.context_id == context.id, ResourceLink.link_id == launch.resource_link_id
        )
    ).first()
    if link is None:
        link = ResourceLink(context=context, link_id=launch.resource_link_id)
        session.add(link)
    link.title = launch.resource_link_title
    link.ags_lineitem_url = launch.services.lineitem
    link.ags_scopes = list(launch.services.ags_scopes)
    link.custom = dict(launch.custom)
    return link


def find_launch_record(session: Session, launch: LaunchContext) -> LaunchRecord:
    """The database ids a launch already recorded, without writing anything."""
    platform = find_platform(session, launch.issuer, launch.client_id)
    deployment = find_deployment(session, platform, launch.deployment_id) if platform else None
    if platform is None or deployment is None:
        raise LookupError("the launch's platform registration has been removed")
    person_id = session.scalar(
        sa.select(Person.id).where(
            Person.platform_id == platform.id, Person.subject == launch.person.subject
        )
    )
    context_id = None
    if launch.context is not None:
        context_id = session.scalar(
            sa.select(Context.id).where(
                Context.deployment_id == deployment.id, Context.context_id == launch.context.id
            )
        )
    link_id = None
    if context_id is not None and launch.resource_link_id:
        link_id = session.scalar(
            sa.select(ResourceLink.id).where(
                ResourceLink.context_id == context_id,
                ResourceLink.link_id == launch.resource_link_id,
            )
        )
    if person_id is None:
        raise LookupError("the launch's person record has been removed")
    return LaunchRecord(person_id, context_id, link_id)
