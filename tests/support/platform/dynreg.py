"""LTI Dynamic Registration 1.0, platform side (lti1p3platform 0.1.8 has none: all ours).

The openid configuration comes in two shapes: the current one (Moodle 4.5) and the legacy one
of older Moodle, which omits ``authorization_endpoint`` and spells the platform-configuration
key with a trailing space.
"""

from __future__ import annotations

import secrets
import string
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, jsonify, request

from tests.support.platform.model import DynamicRegistrationRecord, ToolRegistration
from tests.support.platform.runtime import Runtime, runtime

bp = Blueprint("dynreg", __name__)
PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"
SUPPORTED_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-bo/scope/basicoutcome",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    "https://purl.imsglobal.org/spec/lti-ts/scope/toolsetting",
    "openid",
]
MESSAGES = {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}
VARIABLES = [
    "Context.id",
    "Context.title",
    "Context.label",
    "Context.sourcedId",
    "CourseSection.title",
    "CourseSection.label",
    "CourseSection.sourcedId",
    "ResourceLink.id",
    "ResourceLink.title",
    "ResourceLink.description",
    "User.id",
    "User.username",
    "Person.name.full",
    "Person.name.given",
    "Person.name.family",
    "Person.email.primary",
    "Person.sourcedId",
    "Membership.role",
]


def openid_configuration(rt: Runtime, *, legacy: bool) -> dict[str, Any]:
    """The platform's OpenID configuration, in Moodle 4.5's shape or older Moodle's."""
    urls, info = rt.state.urls, rt.info
    config: dict[str, Any] = {
        "issuer": urls.issuer,
        "token_endpoint": urls.token,
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "jwks_uri": urls.jwks,
        "authorization_endpoint": urls.auth,
        "registration_endpoint": urls.registration,
        "scopes_supported": list(SUPPORTED_SCOPES),
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public", "pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
    }
    platform = {
        "product_family_code": info.product_family_code,
        "version": info.release,
        "messages_supported": [
            {"type": "LtiResourceLinkRequest"},
            {"type": "LtiDeepLinkingRequest", "placements": ["ContentArea"]},
        ],
        "variables": list(VARIABLES),
    }
    if legacy:
        del config["authorization_endpoint"]
        config[PLATFORM_CONFIG + " "] = platform
    else:
        config[PLATFORM_CONFIG] = platform
    return config


def _bearer_token() -> str | None:
    parts = request.headers.get("Authorization", "").split()
    return parts[1] if len(parts) == 2 and parts[0].lower() == "bearer" else None


def _error(status: int, error: str, description: str) -> Response:
    resp = jsonify({"error": error, "error_description": description})
    resp.status_code = status
    return resp


@bp.get("/mod/lti/openid-configuration.php")
def configuration() -> Response:
    """``?shape=legacy`` serves older Moodle's shape."""
    legacy = request.args.get("shape") == "legacy"
    return jsonify(openid_configuration(runtime(), legacy=legacy))


def _is_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.fragment


def _in_domain(url: str, domain: str) -> bool:
    netloc = urlsplit(url).netloc.lower()
    domain = domain.lower()
    return netloc == domain or (":" not in domain and netloc.split(":")[0] == domain)


def _tool_config_problem(tool_config: Any) -> str | None:
    if not isinstance(tool_config, dict):
        return f"{TOOL_CONFIG} must be an object"
    domain = tool_config.get("domain")
    target = tool_config.get("target_link_uri")
    messages = tool_config.get("messages", [])
    custom = tool_config.get("custom_parameters", {})
    checks = {
        "domain is required": not (isinstance(domain, str) and domain),
        "target_link_uri must be an absolute URL": not _is_url(target),
        "claims must be a list": not isinstance(tool_config.get("claims", []), list),
        "messages must be a list of objects with a supported type": not (
            isinstance(messages, list)
            and all(isinstance(m, dict) and m.get("type") in MESSAGES for m in messages)
        ),
        "a message's target_link_uri must be an absolute URL": isinstance(messages, list)
        and any(
            isinstance(m, dict) and "target_link_uri" in m and not _is_url(m["target_link_uri"])
            for m in messages
        ),
        "custom_parameters must map strings to strings": not (
            isinstance(custom, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in custom.items())
        ),
    }
    problem = next((text for text, failed in checks.items() if failed), None)
    if problem is None and not _in_domain(str(target), str(domain)):
        problem = f"target_link_uri is not in the tool's domain {domain!r}"
    return problem


def registration_problem(body: Any) -> str | None:
    """Why a client registration request is unacceptable, or None."""
    if not isinstance(body, dict):
        return "the registration must be a JSON object"
    grants = body.get("grant_types")
    redirects = body.get("redirect_uris")
    checks = {
        "application_type must be 'web'": body.get("application_type") != "web",
        "grant_types must include implicit and client_credentials": not (
            isinstance(grants, list) and {"implicit", "client_credentials"} <= set(grants)
        ),
        "response_types must include id_token": "id_token"
        not in (body.get("response_types") or []),
        "redirect_uris must be a non-empty list of absolute URLs": not (
            isinstance(redirects, list) and redirects and all(_is_url(u) for u in redirects)
        ),
        "initiate_login_uri must be an absolute URL": not _is_url(body.get("initiate_login_uri")),
        "jwks_uri must be an absolute URL": not _is_url(body.get("jwks_uri")),
        "token_endpoint_auth_method must be private_key_jwt": body.get("token_endpoint_auth_method")
        != "private_key_jwt",
        "scope must be a space-separated string": not isinstance(body.get("scope", ""), str),
        f"{TOOL_CONFIG} is required": TOOL_CONFIG not in body,
    }
    problem = next((text for text, failed in checks.items() if failed), None)
    return problem or _tool_config_problem(body[TOOL_CONFIG])


def _new_client_id() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(15))


def _register(rt: Runtime, body: dict[str, Any]) -> tuple[ToolRegistration, dict[str, Any]]:
    """Register the tool and build the answer the spec asks for."""
    tool_config: dict[str, Any] = body[TOOL_CONFIG]
    messages = tool_config.get("messages", [])
    deep_link = next((m for m in messages if m.get("type") == "LtiDeepLinkingRequest"), None)
    scopes = [s for s in str(body.get("scope", "")).split() if s in SUPPORTED_SCOPES]
    type_id = rt.state.take_type_id()
    tool = ToolRegistration(
        client_id=_new_client_id(),
        deployment_id=str(type_id),
        login_url=body["initiate_login_uri"],
        launch_url=tool_config["target_link_uri"],
        redirect_uris=list(body["redirect_uris"]),
        jwks_url=body["jwks_uri"],
        deep_link_url=(
            deep_link.get("target_link_uri", tool_config["target_link_uri"]) if deep_link else None
        ),
        type_id=type_id,
        name=str(body.get("client_name", "Dynamically registered tool")),
        custom_parameters=dict(tool_config.get("custom_parameters", {})),
        scopes=scopes,
    )
    rt.state.add_tool(tool)
    answer = dict(body)
    answer["client_id"] = tool.client_id
    answer["scope"] = " ".join(scopes)
    answer[TOOL_CONFIG] = {
        **tool_config,
        "version": "1.3.0",
        "deployment_id": tool.deployment_id,
    }
    return tool, answer


@bp.post("/mod/lti/openid-registration.php")
def register() -> Response:
    """The registration endpoint: one-time bearer registration token, then validation."""
    rt = runtime()
    token = _bearer_token() or ""
    with rt.state.lock:
        record = rt.state.registration_tokens.get(token)
        if record is None or record.used or record.expires_at <= time.time():
            return _error(
                401, "invalid_token", "missing, unknown, used or expired registration token"
            )
        body = request.get_json(force=True, silent=True)
        problem = registration_problem(body)
        if problem:
            return _error(400, "invalid_client_metadata", problem)
        record.used = True  # one-time: only a successful registration spends it
    tool, answer = _register(rt, body)
    with rt.state.lock:
        rt.state.registrations.append(
            DynamicRegistrationRecord(
                tool.client_id, tool.deployment_id, record.legacy_moodle_shape, body, answer
            )
        )
    return jsonify(answer)
