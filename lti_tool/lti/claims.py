"""LTI 1.3 claim names and the translation of a validated launch into a LaunchContext."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lti_tool.errors import MissingClaimsError, UnsupportedMessageError
from lti_tool.launch import ContextInfo, LaunchContext, PersonInfo, ServiceEndpoints
from lti_tool.lti.roles import audience_for

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
DEPLOYMENT_ID = LTI + "deployment_id"
TARGET_LINK_URI = LTI + "target_link_uri"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
RESOURCE_LINK = LTI + "resource_link"
CUSTOM = LTI + "custom"
LAUNCH_PRESENTATION = LTI + "launch_presentation"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"

MESSAGE_KINDS = {"LtiResourceLinkRequest": "resource", "LtiDeepLinkingRequest": "deep-link"}

# Context types arrive as full URIs or, from Moodle, as the short form "CourseSection".
_CONTEXT_TYPE_PREFIX = "http://purl.imsglobal.org/vocab/lis/v2/course#"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _context(claims: Mapping[str, Any]) -> ContextInfo | None:
    raw = claims.get(CONTEXT)
    if not isinstance(raw, Mapping) or not raw.get("id"):
        return None
    types = tuple(
        t.removeprefix(_CONTEXT_TYPE_PREFIX) for t in raw.get("type") or () if isinstance(t, str)
    )
    return ContextInfo(
        id=str(raw["id"]), label=_text(raw.get("label")), title=_text(raw.get("title")), types=types
    )


def _services(claims: Mapping[str, Any]) -> ServiceEndpoints:
    ags = claims.get(AGS_ENDPOINT) if isinstance(claims.get(AGS_ENDPOINT), Mapping) else {}
    nrps = claims.get(NRPS) if isinstance(claims.get(NRPS), Mapping) else {}
    return ServiceEndpoints(
        lineitem=ags.get("lineitem") or None,
        lineitems=ags.get("lineitems") or None,
        ags_scopes=tuple(ags.get("scope") or ()),
        memberships=nrps.get("context_memberships_url") or None,
    )


def launch_context(launch_id: str, claims: Mapping[str, Any]) -> LaunchContext:
    """Build the app's view of a launch from claims pylti1p3 has already validated."""
    message_type = claims.get(MESSAGE_TYPE)
    kind = MESSAGE_KINDS.get(message_type) if isinstance(message_type, str) else None
    if kind is None:
        raise UnsupportedMessageError(message_type=message_type)
    required = ["iss", "aud", "sub", DEPLOYMENT_ID]
    if kind == "resource":
        required.append(TARGET_LINK_URI)  # LTI 1.3 §5.3.3: required in resource-link launches
    missing = [name.removeprefix(LTI) for name in required if not claims.get(name)]
    if missing:
        raise MissingClaimsError(missing=", ".join(missing))
    aud = claims["aud"]
    roles = tuple(r for r in claims.get(ROLES) or () if isinstance(r, str))
    link = claims.get(RESOURCE_LINK) if isinstance(claims.get(RESOURCE_LINK), Mapping) else {}
    presentation = claims.get(LAUNCH_PRESENTATION)
    presentation = presentation if isinstance(presentation, Mapping) else {}
    custom = claims.get(CUSTOM) if isinstance(claims.get(CUSTOM), Mapping) else {}
    return LaunchContext(
        launch_id=launch_id,
        kind=kind,
        issuer=claims["iss"],
        client_id=aud[0] if isinstance(aud, list) else aud,
        deployment_id=str(claims[DEPLOYMENT_ID]),
        person=PersonInfo(
            issuer=claims["iss"],
            subject=str(claims["sub"]),
            name=_text(claims.get("name")),
            given_name=_text(claims.get("given_name")),
            family_name=_text(claims.get("family_name")),
            email=_text(claims.get("email")),
        ),
        context=_context(claims),
        resource_link_id=str(link["id"]) if link.get("id") else None,
        resource_link_title=_text(link.get("title")),
        roles=roles,
        audience=audience_for(roles),
        services=_services(claims),
        custom={str(k): v for k, v in custom.items()},
        locale=_text(presentation.get("locale")) or "en",
        return_url=_text(presentation.get("return_url")) or None,
    )
