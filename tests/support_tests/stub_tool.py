"""A minimal, throw-away pylti1p3 (pylti1p3next) Flask tool to prove the test platform against.

Written independently of the platform package: it only knows the platform's issuer, client id
and endpoint URLs, as a real tool would.
"""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, Response, jsonify, request
from pylti1p3.contrib.flask import (
    FlaskMessageLaunch,
    FlaskOIDCLogin,
    FlaskRequest,
    FlaskServiceConnector,
)
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.registration import Registration
from pylti1p3.tool_config import ToolConfDict

from tests.support.platform.server import LoopbackServer

PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"
SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem "
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly "
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly "
    "https://purl.imsglobal.org/spec/lti-ags/scope/score "
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
)


def _key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


class StubTool:
    """The tool: /login, /launch, /jwks, /score, /grades, /members, /lineitem, /register."""

    def __init__(self, host: str = "127.0.0.1", ssl_context: ssl.SSLContext | None = None):
        self.private_key, self.public_key = _key_pair()
        self.platforms: dict[str, list[dict[str, Any]]] = {}
        self.launch_errors: list[str] = []
        self.dr_errors: list[str] = []
        self.jwks_hits = 0
        self.app = self._make_app(secure=ssl_context is not None)
        self.server = LoopbackServer(self.app, host, 0, ssl_context)
        self.url = self.server.url

    @property
    def launch_url(self) -> str:
        return f"{self.url}/launch"

    @property
    def login_url(self) -> str:
        return f"{self.url}/login"

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/jwks"

    def add_platform(
        self,
        issuer: str,
        client_id: str,
        *,
        auth_login_url: str,
        auth_token_url: str,
        key_set_url: str,
        deployment_ids: list[str],
    ) -> None:
        self.platforms.setdefault(issuer, []).append(
            {
                "default": False,
                "client_id": client_id,
                "auth_login_url": auth_login_url,
                "auth_token_url": auth_token_url,
                "auth_audience": None,
                "key_set_url": key_set_url,
                "key_set": None,
                "deployment_ids": deployment_ids,
            }
        )

    def tool_conf(self) -> ToolConfDict:
        conf = ToolConfDict(self.platforms)
        for iss, clients in self.platforms.items():
            for client in clients:
                conf.set_private_key(iss, self.private_key, client_id=client["client_id"])
                conf.set_public_key(iss, self.public_key, client_id=client["client_id"])
        return conf

    def __enter__(self) -> StubTool:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    # -- the Flask app --------------------------------------------------------------------

    def _make_app(self, *, secure: bool) -> Flask:
        app = Flask("stub_tool")
        app.secret_key = "stub-tool-secret"
        if secure:
            app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="None")
        app.add_url_rule("/login", view_func=self._login, methods=["GET", "POST"])
        app.add_url_rule("/launch", view_func=self._launch, methods=["POST"])
        app.add_url_rule("/jwks", view_func=self._jwks)
        app.add_url_rule("/score", view_func=self._score)
        app.add_url_rule("/lineitem", view_func=self._lineitem)
        app.add_url_rule("/members", view_func=self._members)
        app.add_url_rule("/register", view_func=self._register)
        return app

    def _login(self) -> Any:
        login = FlaskOIDCLogin(FlaskRequest(), self.tool_conf())
        return login.redirect(self.launch_url)

    def _message_launch(self) -> FlaskMessageLaunch:
        return FlaskMessageLaunch(FlaskRequest(), self.tool_conf())

    def _launch(self) -> Any:
        launch = self._message_launch()
        try:
            data = launch.get_launch_data()
        except Exception as exc:
            self.launch_errors.append(f"{type(exc).__name__}: {exc}")
            return Response(f"launch refused: {exc}", status=400, mimetype="text/plain")
        if launch.is_deep_link_launch():
            item = (
                DeepLinkResource()
                .set_url(self.launch_url)
                .set_title("Deep-linked stub item")
                .set_custom_params({"dl_item": "item-42"})
                .set_lineitem(LineItem().set_label("Deep-linked stub item").set_score_maximum(10))
            )
            return launch.get_deep_link().output_response_form([item])
        return jsonify({"launch_id": launch.get_launch_id(), "claims": data})

    def _restored(self) -> FlaskMessageLaunch:
        return FlaskMessageLaunch.from_cache(
            request.args["launch_id"],
            FlaskRequest(),
            self.tool_conf(),
            service_connector_cls=FlaskServiceConnector,
        )

    def _jwks(self) -> Response:
        self.jwks_hits += 1
        return jsonify({"keys": [Registration.get_jwk(self.public_key)]})

    def _grade(self) -> Grade:
        import datetime as dt

        return (
            Grade()
            .set_score_given(float(request.args.get("score", "7")))
            .set_score_maximum(10)
            .set_timestamp(request.args.get("timestamp") or dt.datetime.now(dt.UTC).isoformat())
            .set_activity_progress("Completed")
            .set_grading_progress("FullyGraded")
            .set_user_id(request.args.get("user", "4"))
            .set_comment("stub tool score")
        )

    def _score(self) -> Any:
        try:
            ags = self._restored().get_ags()
            ags.put_grade(self._grade())
            grades = list(ags.get_grades())
        except Exception as exc:
            return Response(f"{type(exc).__name__}: {exc}", status=502, mimetype="text/plain")
        return jsonify({"grades": grades})

    def _lineitem(self) -> Any:
        try:
            ags = self._restored().get_ags()
            wanted = (
                LineItem()
                .set_tag(request.args["tag"])
                .set_label("Tagged column")
                .set_score_maximum(50)
                .set_resource_id("res-1")
            )
            item = ags.find_or_create_lineitem(wanted)
            ags.put_grade(self._grade(), item)
            items = list(ags.get_lineitems())
        except Exception as exc:
            return Response(f"{type(exc).__name__}: {exc}", status=502, mimetype="text/plain")
        return jsonify({"lineitem": item.get_id(), "lineitems": items})

    def _members(self) -> Any:
        try:
            members = self._restored().get_nrps().get_members()
        except Exception as exc:
            return Response(f"{type(exc).__name__}: {exc}", status=502, mimetype="text/plain")
        return jsonify({"members": members})

    def _register(self) -> Any:
        """Dynamic registration, tolerant of older Moodle's configuration shape."""
        config_url = request.args["openid_configuration"]
        token = request.args.get("registration_token")
        config = requests.get(config_url, timeout=5).json()
        platform = config.get(PLATFORM_CONFIG) or config.get(PLATFORM_CONFIG + " ")
        issuer = config["issuer"]
        if platform is None or urlsplit(issuer).netloc != urlsplit(config_url).netloc:
            self.dr_errors.append("not an LTI platform configuration for this host")
            return Response("bad configuration", status=400)
        auth = config.get("authorization_endpoint") or f"{issuer}/mod/lti/auth.php"
        body = {
            "application_type": "web",
            "response_types": ["id_token"],
            "grant_types": ["implicit", "client_credentials"],
            "initiate_login_uri": self.login_url,
            "redirect_uris": [self.launch_url],
            "client_name": "Stub LTI 1.3 Tool (dynamic)",
            "jwks_uri": self.jwks_url,
            "token_endpoint_auth_method": "private_key_jwt",
            "scope": SCOPES,
            TOOL_CONFIG: {
                "domain": urlsplit(self.url).netloc,
                "target_link_uri": self.launch_url,
                "custom_parameters": {"registered_via": "dynamic"},
                "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
                "messages": [{"type": "LtiDeepLinkingRequest", "target_link_uri": self.launch_url}],
            },
        }
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = requests.post(config["registration_endpoint"], json=body, headers=headers, timeout=5)
        if not resp.ok:
            self.dr_errors.append(f"{resp.status_code}: {resp.text}")
            return Response(f"registration refused: {resp.text}", status=400)
        answer = resp.json()
        self.add_platform(
            issuer,
            answer["client_id"],
            auth_login_url=auth,
            auth_token_url=config["token_endpoint"],
            key_set_url=config["jwks_uri"],
            deployment_ids=[answer[TOOL_CONFIG]["deployment_id"]],
        )
        return Response(
            "<script>(window.opener || window.parent).postMessage("
            "{subject:'org.imsglobal.lti.close'}, '*');</script><p>Registered.</p>",
            mimetype="text/html",
        )
