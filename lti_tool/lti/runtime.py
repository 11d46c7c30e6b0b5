"""Per-request pylti1p3 collaborators built from the app's settings and database."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from pylti1p3.contrib.flask import FlaskRequest

from lti_tool.config import Settings
from lti_tool.extensions import db
from lti_tool.lti.storage import DatabaseLaunchDataStorage, PartitionedCookieService
from lti_tool.lti.tool_config import DatabaseToolConf
from lti_tool.services.keys import ensure_signing_key
from lti_tool.urls import ToolUrls


def settings() -> Settings:
    """The app's settings object."""
    return current_app.extensions["semh_settings"]  # type: ignore[no-any-return]


def tool_urls() -> ToolUrls:
    """The tool's public URLs: the configured base URL, else the one this request came to."""
    base = settings().base_url or request.host_url.rstrip("/")
    return ToolUrls(base)


def is_secure() -> bool:
    """Whether the tool is reached over HTTPS (directly or behind a proxy that says so)."""
    return request.is_secure or tool_urls().base.startswith("https://")


def tool_conf() -> DatabaseToolConf:
    """Registrations from the database, signing with the current tool key."""
    key = ensure_signing_key(db.session)
    return DatabaseToolConf(db.session, key)


def launch_storage() -> DatabaseLaunchDataStorage:
    """Server-side launch data storage on the app's engine."""
    return DatabaseLaunchDataStorage(db.engine, default_ttl=settings().launch_ref_max_age * 2)


def lti_request(data: dict[str, Any]) -> FlaskRequest:
    """A pylti1p3 request over explicit parameters, so GET and POST logins read alike."""
    return FlaskRequest(request_data=data, request_is_secure=is_secure(), session={})


def cookie_service() -> PartitionedCookieService:
    """The login cookie service for this request."""
    return PartitionedCookieService(secure=is_secure())
