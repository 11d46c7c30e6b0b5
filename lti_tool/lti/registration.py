"""LTI Dynamic Registration: the platform opens this page; we register and store it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from flask import render_template, request
from pylti1p3.dynamic_registration import DynamicRegistration
from pylti1p3.exception import LtiException

from lti_tool.errors import ForbiddenError, RegistrationError
from lti_tool.extensions import db
from lti_tool.lti import bp
from lti_tool.lti.http import session_with_timeouts
from lti_tool.lti.runtime import settings, tool_urls
from lti_tool.services import platforms
from lti_tool.urls import ToolUrls

PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
)


def normalise_configuration(raw: Any, fetched_from: str) -> dict[str, Any]:
    """Tidy a platform's OpenID configuration and check it can be trusted.

    Older Moodle releases put a trailing space in the platform-configuration key and omit
    ``authorization_endpoint`` (their login endpoint is always ``/mod/lti/auth.php``).
    """
    if not isinstance(raw, dict):
        raise RegistrationError(
            "configuration not an object", reason="its configuration was not a JSON object."
        )
    config = {str(k).strip(): v for k, v in raw.items()}
    issuer = config.get("issuer")
    if not isinstance(issuer, str) or not issuer:
        raise RegistrationError("no issuer", reason="its configuration names no issuer.")
    if urlsplit(issuer).netloc.lower() != urlsplit(fetched_from).netloc.lower():
        raise RegistrationError(
            "issuer host mismatch",
            reason=f"its configuration says it is {issuer}, but came from "
            f"{urlsplit(fetched_from).netloc}. The issuer must match the host it is served from.",
        )
    platform_config = config.get(PLATFORM_CONFIGURATION)
    platform_config = platform_config if isinstance(platform_config, dict) else {}
    config[PLATFORM_CONFIGURATION] = platform_config
    if (
        not config.get("authorization_endpoint")
        and platform_config.get("product_family_code") == "moodle"
    ):
        config["authorization_endpoint"] = issuer.rstrip("/") + "/mod/lti/auth.php"
    for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint"):
        if not isinstance(config.get(needed), str) or not config[needed]:
            raise RegistrationError(
                f"missing {needed}", reason=f"its configuration has no {needed}."
            )
    return config


class ToolRegistration(DynamicRegistration):  # type: ignore[misc]
    """Our answers to pylti1p3's registration questions."""

    client_name = "SEMH competency self-assessment"
    description = (
        "Social, emotional and mental health competency frameworks for staff who work with "
        "children and young people: self-assessment, gaps and training."
    )

    def __init__(self, urls: ToolUrls, configuration_url: str, token: str) -> None:
        self._urls = urls
        self._configuration_url = configuration_url
        self._token = token
        self.stored_platform: Any = None

    def get_request_session(self) -> requests.Session:
        return session_with_timeouts()

    def get_initiate_login_uri(self) -> str:
        return self._urls.login

    def get_jwks_uri(self) -> str:
        return self._urls.jwks

    def get_redirect_uris(self) -> list[str]:
        return list(self._urls.redirect_uris)

    def get_scopes(self) -> list[str]:
        return list(SCOPES)

    def get_domain(self) -> str:
        return self._urls.domain

    def get_target_link_uri(self) -> str:
        return self._urls.launch

    def get_claims(self) -> list[str]:
        return ["iss", "sub", "name", "given_name", "family_name", "email"]

    def get_messages(self) -> list[dict[str, Any]]:
        return [
            {"type": "LtiResourceLinkRequest", "target_link_uri": self._urls.launch},
            {
                "type": "LtiDeepLinkingRequest",
                "target_link_uri": self._urls.deep_linking,
                "label": "SEMH self-assessment",
            },
        ]

    def get_logo_uri(self) -> str:
        return f"{self._urls.base}/static/logo.svg"

    def get_openid_configuration_endpoint(self) -> str:
        return self._configuration_url

    def get_registration_token(self) -> str:
        return self._token

    def get_openid_configuration(self) -> dict[str, Any]:
        try:
            raw = super().get_openid_configuration()
        except (requests.RequestException, ValueError) as error:
            raise RegistrationError(
                str(error), reason="its configuration could not be read."
            ) from error
        # Normalising also restores the exact platform-configuration key pylti1p3 asserts on,
        # which older Moodle misspells with a trailing space.
        return normalise_configuration(raw, self._configuration_url)

    def complete_registration(
        self, openid_configuration: dict[str, Any], openid_registration: dict[str, Any]
    ) -> Any:
        tool_config = openid_registration.get(TOOL_CONFIGURATION) or {}
        client_id = openid_registration.get("client_id")
        deployment_id = tool_config.get("deployment_id")
        if not client_id:
            raise RegistrationError("no client_id", reason="the platform returned no client id.")
        family = openid_configuration[PLATFORM_CONFIGURATION].get("product_family_code", "")
        details = platforms.PlatformDetails(
            issuer=openid_configuration["issuer"],
            client_id=str(client_id),
            auth_login_url=openid_configuration["authorization_endpoint"],
            auth_token_url=openid_configuration["token_endpoint"],
            key_set_url=openid_configuration["jwks_uri"],
            deployment_ids=(str(deployment_id),) if deployment_id else (),
            name=f"{family or 'LMS'} at {urlsplit(openid_configuration['issuer']).netloc}",
            auth_audience=openid_configuration.get("authorization_server") or None,
            product_family=family,
        )
        existing = platforms.find_platform(db.session, details.issuer, details.client_id)
        if existing is not None:
            for dep in details.deployment_ids:
                platforms.add_deployment(db.session, existing, dep)
            self.stored_platform = existing
        else:
            self.stored_platform = platforms.add_platform(db.session, details, "dynamic")
        return self.stored_platform


@bp.get("/register")
def register() -> Any:
    """Register with the platform that opened this page (LTI Dynamic Registration 1.0)."""
    if not settings().dynamic_registration_enabled:
        raise ForbiddenError(
            "dynamic registration disabled",
            reason="Dynamic registration is switched off on this tool. Ask its "
            "administrator to register your platform by hand.",
        )
    configuration_url = request.args.get("openid_configuration", "")
    token = request.args.get("registration_token", "")
    if not configuration_url.startswith(("https://", "http://")):
        raise RegistrationError(
            "no openid_configuration", reason="the platform did not say where its configuration is."
        )
    registration = ToolRegistration(tool_urls(), configuration_url, token)
    try:
        registration.register()
    except LtiException as error:
        reason = "the platform refused the registration"
        response = getattr(error, "response", None)
        if response is not None:
            reason += f" (HTTP {response.status_code})"
        raise RegistrationError(str(error), reason=reason + ".") from error
    except (requests.RequestException, AssertionError) as error:
        raise RegistrationError(
            str(error), reason="the platform's answer was not usable."
        ) from error
    platform = registration.stored_platform
    db.session.commit()
    return render_template(
        "lti/registered.html", platform=platform, is_moodle=platform.product_family == "moodle"
    )
