"""Platforms (LMS registrations) and their deployments of the tool."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_tool.models.base import Base, UTCDateTime, utcnow


class Platform(Base):
    """One client registration of the tool on an LMS: an issuer and a client id."""

    __tablename__ = "platforms"
    __table_args__ = (sa.UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(sa.String(255), index=True)
    client_id: Mapped[str] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(255), default="")
    auth_login_url: Mapped[str] = mapped_column(sa.String(1024))
    auth_token_url: Mapped[str] = mapped_column(sa.String(1024))
    key_set_url: Mapped[str] = mapped_column(sa.String(1024))
    auth_audience: Mapped[str | None] = mapped_column(sa.String(1024))
    product_family: Mapped[str] = mapped_column(sa.String(64), default="")
    registered_by: Mapped[str] = mapped_column(sa.String(16), default="manual")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deployments: Mapped[list[Deployment]] = relationship(
        back_populates="platform", cascade="all, delete-orphan", order_by="Deployment.id"
    )


class Deployment(Base):
    """A deployment id the platform sends with launches (Moodle: the tool type id)."""

    __tablename__ = "deployments"
    __table_args__ = (sa.UniqueConstraint("platform_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("platforms.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_launch_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where this deployment's staff find wellbeing support; the tool-wide default otherwise.
    support_url: Mapped[str | None] = mapped_column(sa.String(1024))

    platform: Mapped[Platform] = relationship(back_populates="deployments")
