"""People, the LMS contexts (courses) they launch from, and resource links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_tool.models.base import Base, UTCDateTime, utcnow
from lti_tool.models.platforms import Deployment, Platform


class Person(Base):
    """Someone who has launched the tool, identified by the platform and its subject id."""

    __tablename__ = "people"
    __table_args__ = (sa.UniqueConstraint("platform_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("platforms.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(255), default="")
    given_name: Mapped[str] = mapped_column(sa.String(255), default="")
    family_name: Mapped[str] = mapped_column(sa.String(255), default="")
    email: Mapped[str] = mapped_column(sa.String(320), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_launch_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    platform: Mapped[Platform] = relationship()


class Context(Base):
    """An LMS context the tool is launched from, usually a course."""

    __tablename__ = "contexts"
    __table_args__ = (sa.UniqueConstraint("deployment_id", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(sa.ForeignKey("deployments.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(sa.String(255))
    label: Mapped[str] = mapped_column(sa.String(255), default="")
    title: Mapped[str] = mapped_column(sa.String(1024), default="")
    types: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    nrps_url: Mapped[str | None] = mapped_column(sa.String(1024))
    ags_lineitems_url: Mapped[str | None] = mapped_column(sa.String(1024))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deployment: Mapped[Deployment] = relationship()


class ResourceLink(Base):
    """A placement of the tool in a context (Moodle: one activity)."""

    __tablename__ = "resource_links"
    __table_args__ = (sa.UniqueConstraint("context_id", "link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(sa.ForeignKey("contexts.id", ondelete="CASCADE"))
    link_id: Mapped[str] = mapped_column(sa.String(255))
    title: Mapped[str] = mapped_column(sa.String(1024), default="")
    ags_lineitem_url: Mapped[str | None] = mapped_column(sa.String(1024))
    ags_scopes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    custom: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    context: Mapped[Context] = relationship()


class Membership(Base):
    """A person's roles in a context, as of their latest launch."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("person_id", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    context_id: Mapped[int] = mapped_column(sa.ForeignKey("contexts.id", ondelete="CASCADE"))
    audience: Mapped[str] = mapped_column(sa.String(32))
    roles: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    last_launch_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    context: Mapped[Context] = relationship()
