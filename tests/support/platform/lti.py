"""Adapters that let lti1p3platform 0.1.8 run inside Flask, with our key handling and tampering.

lti1p3platform does the LTI work: the login-initiation parameters, the launch message and its
signature, the JWKS, the access-token exchange and the Deep Linking response check. These
classes only supply what its abstract classes leave to the host framework.
"""

from __future__ import annotations

import time
from typing import Any

import flask
import jwt
import requests
from lti1p3platform.exceptions import LtiException
from lti1p3platform.ltiplatform import JWKS, LTI1P3PlatformConfAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request, TRequest

from tests.support.platform.keys import KeyPair
from tests.support.platform.model import Tamper, ToolRegistration
from tests.support.platform.runtime import Runtime

LTI_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
_INT_PARAMS = ("page", "limit")


class FlaskPlatformRequest(Request):
    """lti1p3platform's view of a Flask request.

    Moodle-style service URLs carry ``?type_id=N``; lti1p3platform passes every query parameter
    on as a keyword argument, so ``type_id`` is left out here (the views check it), and
    ``page``/``limit`` become integers (it adds 1 to ``page``).
    """

    def build_metadata(self, request: Any) -> TRequest:
        assert isinstance(request, flask.Request)
        get_data: dict[str, Any] = {k: v for k, v in request.args.items() if k != "type_id"}
        for key in _INT_PARAMS:
            if key in get_data and str(get_data[key]).isdigit():
                get_data[key] = int(get_data[key])
        return {
            "method": request.method,
            "form_data": request.form.to_dict(),
            "get_data": get_data,
            "headers": request.headers,
            "content_type": request.content_type,
            "path": request.path,
            "json": request.get_json(force=True, silent=True) if request.data else None,
        }


def _find_claim(payload: dict[str, Any], name: str) -> str | None:
    if name in payload:
        return name
    if LTI_CLAIM + name in payload:
        return LTI_CLAIM + name
    return None


def apply_tamper(payload: dict[str, Any], tamper: Tamper, now: int) -> dict[str, Any]:
    """The launch claims with ``tamper``'s changes."""
    out = dict(payload)
    if tamper.iat_offset is not None:
        out["iat"] = now + tamper.iat_offset
    if tamper.exp_offset is not None:
        out["exp"] = now + tamper.exp_offset
    simple = {
        "aud": tamper.aud,
        "iss": tamper.iss,
        "nonce": tamper.nonce,
        LTI_CLAIM + "deployment_id": tamper.deployment_id,
        LTI_CLAIM + "message_type": tamper.message_type,
    }
    for claim, value in simple.items():
        if value is not None:
            out[claim] = value
    for name in tamper.drop_claims:
        found = _find_claim(out, name)
        if found:
            del out[found]
    if tamper.claims:
        out.update(tamper.claims)
    return out


class PlatformRegistration(Registration):
    """lti1p3platform's registration, signing launches with the current key or a tampered one.

    Remembers the last header and claims it signed so the platform can record them.
    """

    def __init__(self, signing_key: KeyPair, rogue_key: KeyPair, tamper: Tamper | None) -> None:
        self._signing_key = signing_key
        self._rogue_key = rogue_key
        self._tamper = tamper
        self.signed_header: dict[str, Any] = {}
        self.signed_claims: dict[str, Any] = {}
        self.set_platform_private_key(signing_key.private_pem)
        self.set_platform_public_key(signing_key.public_pem)

    def platform_encode_and_sign(
        self, payload: dict[str, Any], expiration: int | None = None
    ) -> str:
        now = int(time.time())
        claims = dict(payload)
        claims.update({"iat": now, "exp": now + (expiration or 60)})
        tamper = self._tamper or Tamper()
        claims = apply_tamper(claims, tamper, now)
        key = self._rogue_key if tamper.sign_with_unknown_key else self._signing_key
        header = {"kid": tamper.kid or self._signing_key.kid}
        self.signed_header = {"alg": "RS256", "typ": "JWT", **header}
        self.signed_claims = claims
        return Registration.encode_and_sign(claims, key.private_pem, header)


class PlatformConf(LTI1P3PlatformConfAbstract):
    """The platform configuration lti1p3platform works from, for one tool."""

    def init_platform_config(self, **kwargs: Any) -> None:
        rt: Runtime = kwargs["runtime"]
        tool: ToolRegistration | None = kwargs.get("tool")
        self._runtime = rt
        registration = PlatformRegistration(
            rt.state.signing_key, rt.state.rogue_key, kwargs.get("tamper")
        )
        registration.set_iss(rt.state.urls.issuer)
        if tool is not None:
            (
                registration.set_client_id(tool.client_id)
                .set_deployment_id(tool.deployment_id)
                .set_launch_url(tool.launch_url)
                .set_oidc_login_url(tool.login_url)
                .set_tool_key_set_url(tool.jwks_url)
            )
            if tool.deep_link_url:
                registration.set_deeplink_launch_url(tool.deep_link_url)
        self._registration = registration

    @property
    def registration(self) -> PlatformRegistration:
        assert isinstance(self._registration, PlatformRegistration)
        return self._registration

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        return self.registration

    def fetch_public_key(self, key_set_url: str) -> JWKS:
        """As lti1p3platform does, with the platform's TLS trust settings."""
        try:
            resp = requests.get(key_set_url, timeout=5, verify=self._runtime.outbound_verify)
        except requests.exceptions.RequestException as exc:
            raise LtiException(f"Error during fetch URL {key_set_url}: {exc}") from exc
        try:
            keys: JWKS = resp.json()
        except ValueError as exc:
            raise LtiException(f"Invalid response from {key_set_url}. Must be JSON") from exc
        return keys

    def validate_token(
        self,
        token: str,
        allowed_scopes: list[str] | None = None,
        audience: str | None = None,
    ) -> bool:
        """lti1p3platform's check, against each published platform key in turn.

        lti1p3platform checks against one key only, and its access tokens carry no ``kid``,
        so after :meth:`TestPlatform.rotate_key` tokens issued earlier would fail.
        """
        for pair in reversed(self._runtime.state.keys):
            self.registration.set_platform_public_key(pair.public_pem)
            try:
                return super().validate_token(token, allowed_scopes, audience)
            except jwt.InvalidSignatureError:
                continue
            except (LtiException, jwt.PyJWTError):
                return False
        return False


def decode_access_token(rt: Runtime, token: str) -> dict[str, Any]:
    """The claims of an access token this platform issued; raises ``jwt.PyJWTError`` if not."""
    for pair in reversed(rt.state.keys):
        try:
            claims: dict[str, Any] = jwt.decode(token, pair.public_pem, algorithms=["RS256"])
        except jwt.InvalidSignatureError:
            continue
        if claims.get("iss") != rt.state.urls.issuer:
            raise jwt.InvalidIssuerError("access token from another issuer")
        return claims
    raise jwt.InvalidSignatureError("access token not signed by this platform")


def platform_jwks(rt: Runtime) -> JWKS:
    """Every published platform key, each as lti1p3platform writes a JWK."""
    keys: list[dict[str, Any]] = []
    for pair in rt.state.keys:
        reg = Registration().set_platform_public_key(pair.public_pem)
        keys.extend(reg.get_jwks())
    return {"keys": keys}


class PlatformOIDCLogin(OIDCLoginAbstract):
    """lti1p3platform's login initiation; the view turns the URL into a form or a redirect."""

    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["lti_message_hint"]

    def get_redirect(self, url: str) -> str:
        return url
