"""Platform registrations: adding, finding, listing and removing them."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from lti_tool.models import Deployment, Platform


class RegistrationConflictError(ValueError):
    """The registration already exists or names something that does not."""


@dataclass(frozen=True)
class PlatformDetails:
    """What an administrator supplies to register a platform by hand."""

    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    deployment_ids: tuple[str, ...] = ()
    name: str = ""
    auth_audience: str | None = None
    product_family: str = ""


def _require_url(label: str, value: str) -> None:
    if not value.startswith(("https://", "http://")):
        raise RegistrationConflictError(f"{label} must be a full http(s) URL, not {value!r}.")


def add_platform(
    session: Session, details: PlatformDetails, registered_by: str = "manual"
) -> Platform:
    """Register a platform and its deployments; refuses a duplicate issuer + client id."""
    _require_url("The issuer", details.issuer)
    for label, url in (
        ("The login (authorization) URL", details.auth_login_url),
        ("The access token URL", details.auth_token_url),
        ("The key set URL", details.key_set_url),
    ):
        _require_url(label, url)
    if not details.client_id.strip():
        raise RegistrationConflictError("The client id must not be empty.")
    if find_platform(session, details.issuer, details.client_id) is not None:
        raise RegistrationConflictError(
            f"Issuer {details.issuer} with client id {details.client_id} is already registered."
        )
    platform = Platform(
        issuer=details.issuer,
        client_id=details.client_id,
        name=details.name or details.issuer,
        auth_login_url=details.auth_login_url,
        auth_token_url=details.auth_token_url,
        key_set_url=details.key_set_url,
        auth_audience=details.auth_audience,
        product_family=details.product_family,
        registered_by=registered_by,
        deployments=[Deployment(deployment_id=d) for d in dict.fromkeys(details.deployment_ids)],
    )
    session.add(platform)
    session.flush()
    return platform


def add_deployment(session: Session, platform: Platform, deployment_id: str) -> Deployment:
    """Add a deployment id to a registered platform (idempotent)."""
    existing = find_deployment(session, platform, deployment_id)
    if existing is not None:
        return existing
    deployment = Deployment(platform=platform, deployment_id=deployment_id)
    session.add(deployment)
    session.flush()
    return deployment


def find_platform(session: Session, issuer: str, client_id: str) -> Platform | None:
    """The registration for this issuer and client id, if any."""
    return session.scalars(
        sa.select(Platform)
        .where(Platform.issuer == issuer, Platform.client_id == client_id)
        .options(selectinload(Platform.deployments))
    ).first()


def issuer_known(session: Session, issuer: str) -> bool:
    """Whether any client id is registered for this issuer."""
    return session.scalar(sa.select(sa.func.count()).where(Platform.issuer == issuer)) > 0


def find_deployment(session: Session, platform: Platform, deployment_id: str) -> Deployment | None:
    """The platform's deployment with this id, if registered."""
    return session.scalars(
        sa.select(Deployment).where(
            Deployment.platform_id == platform.id, Deployment.deployment_id == deployment_id
        )
    ).first()


def list_platforms(session: Session) -> list[Platform]:
    """Every registration, oldest first."""
    return list(
        session.scalars(
            sa.select(Platform).options(selectinload(Platform.deployments)).order_by(Platform.id)
        )
    )


def get_platform(session: Session, platform_id: int) -> Platform:
    """The registration with this id, or an error naming it."""
    platform = session.get(Platform, platform_id)
    if platform is None:
        raise RegistrationConflictError(
            f"There is no platform registration {platform_id}; "
            "`semh-lti platforms list` shows them."
        )
    return platform


def remove_platform(session: Session, platform_id: int) -> Platform:
    """Delete a registration, its deployments and everything launched through it."""
    platform = get_platform(session, platform_id)
    session.delete(platform)
    session.flush()
    return platform


def set_support_url(
    session: Session, platform: Platform, deployment_id: str, url: str | None
) -> Deployment:
    """Set (or, with None, clear) the wellbeing support link for one deployment."""
    if url is not None:
        _require_url("The support URL", url)
    deployment = find_deployment(session, platform, deployment_id)
    if deployment is None:
        raise RegistrationConflictError(
            f"Platform {platform.id} has no deployment {deployment_id!r}; "
            "`semh-lti platforms show` lists them."
        )
    deployment.support_url = url
    session.flush()
    return deployment


def support_url_for(
    session: Session, issuer: str, client_id: str, deployment_id: str
) -> str | None:
    """The wellbeing support link a deployment has set, if any."""
    return session.scalar(
        sa.select(Deployment.support_url)
        .join(Platform)
        .where(
            Platform.issuer == issuer,
            Platform.client_id == client_id,
            Deployment.deployment_id == deployment_id,
        )
    )
