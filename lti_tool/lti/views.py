"""OIDC login, launch and the tool's public key set."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from flask import Response, jsonify, redirect, render_template, request, url_for
from pylti1p3.contrib.flask import FlaskOIDCLogin, FlaskSessionService
from pylti1p3.exception import LtiException, OIDCException

from lti_tool.errors import (
    BadSignatureError,
    MissingClaimsError,
    UnknownClientError,
    UnknownDeploymentError,
    UnknownIssuerError,
    WrongAudienceError,
)
from lti_tool.extensions import db
from lti_tool.launch import Audience
from lti_tool.lti import bp
from lti_tool.lti.claims import DEPLOYMENT_ID, MESSAGE_TYPE, launch_context
from lti_tool.lti.failures import translate
from lti_tool.lti.launching import CachingMessageLaunch
from lti_tool.lti.references import make_reference
from lti_tool.lti.runtime import (
    cookie_service,
    launch_storage,
    lti_request,
    settings,
    tool_conf,
    tool_urls,
)
from lti_tool.lti.storage import DatabaseLaunchDataStorage
from lti_tool.lti.tool_config import DatabaseToolConf
from lti_tool.models import Platform
from lti_tool.services import platforms
from lti_tool.services.keys import ensure_signing_key, published_jwks
from lti_tool.services.launches import record_launch
from lti_tool.staff.launches import note_launch

LOGIN_PARAMS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "lti_deployment_id",
    "client_id",
    "lti_storage_target",
)
_PROOF_PREFIX = "proof-"


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """OIDC third-party initiated login: check the platform, then send the browser to it."""
    params = {k: request.values[k] for k in LOGIN_PARAMS if request.values.get(k)}
    _check_login_platform(params)
    storage = launch_storage()
    storage.delete_expired(every=60)
    cookies = cookie_service()
    lti_req = lti_request(params)
    oidc = FlaskOIDCLogin(
        lti_req,
        tool_conf(),
        session_service=FlaskSessionService(lti_req),
        cookie_service=cookies,
        launch_data_storage=storage,
    )
    oidc.pass_params_to_launch({"login": params})
    try:
        auth_url = oidc.get_redirect_object(tool_urls().launch).get_redirect_url()
    except (LtiException, OIDCException) as error:
        raise translate(error, issuer=params.get("iss", "")) from error
    state = _query_value(auth_url, "state")
    target = params.get("lti_storage_target")
    if target:
        proof = secrets.token_urlsafe(24)
        storage.set_value(_PROOF_PREFIX + state, proof, settings().oidc_state_ttl)
        response = Response(
            render_template(
                "lti/platform_storage_login.html",
                auth_url=auth_url,
                target=target,
                state=state,
                proof=proof,
                platform_origin=_origin(auth_url),
            )
        )
    else:
        response = redirect(auth_url)
    cookies.update_response(response)
    return response


def _check_login_platform(params: dict[str, str]) -> None:
    issuer = params.get("iss")
    if not issuer or not params.get("login_hint"):
        raise MissingClaimsError(
            "login without iss or login_hint",
            missing="the issuer and login hint of the login request",
        )
    if not platforms.issuer_known(db.session, issuer):
        raise UnknownIssuerError(issuer=issuer)
    client_id = params.get("client_id", "")
    if not client_id:
        candidates = [p for p in platforms.list_platforms(db.session) if p.issuer == issuer]
        if len(candidates) != 1:
            raise UnknownClientError(
                "no client_id and several registrations", issuer=issuer, client_id="(none)"
            )
        params["client_id"] = client_id = candidates[0].client_id
    platform = platforms.find_platform(db.session, issuer, client_id)
    if platform is None:
        raise UnknownClientError(issuer=issuer, client_id=client_id)
    deployment_id = params.get("lti_deployment_id")
    if deployment_id and platforms.find_deployment(db.session, platform, deployment_id) is None:
        raise UnknownDeploymentError(issuer=issuer, deployment_id=deployment_id)


@bp.post("/launch")
def launch() -> Any:
    """Validate an id_token from the platform and start the person's visit."""
    form = request.form.to_dict()
    unverified = _peek(form.get("id_token"))
    conf = tool_conf()
    platform = _check_launch_platform(conf, unverified)
    storage = launch_storage()
    lti_req = lti_request(form)
    session_service = FlaskSessionService(lti_req)
    session_service.set_data_storage(storage)
    cookies = cookie_service()
    state = form.get("state", "")
    saved_login = _saved_login(session_service, state)
    if state and cookies.get_cookie(state) != state:
        page = _verify_state_without_cookie(storage, session_service, form, saved_login, platform)
        if page is not None:
            return page
    message_launch = CachingMessageLaunch(
        lti_req,
        conf,
        session_service=session_service,
        cookie_service=cookies,
        launch_data_storage=storage,
    )
    try:
        claims = message_launch.get_launch_data()
    except (LtiException, OIDCException) as error:
        raise translate(
            error,
            issuer=unverified.get("iss", ""),
            message_type=str(unverified.get(MESSAGE_TYPE, "")),
            deployment_id=str(unverified.get(DEPLOYMENT_ID, "")),
            retry_url=_new_window_url(saved_login),
        ) from error
    launch_id = message_launch.get_launch_id()
    context = launch_context(launch_id, claims)
    record = record_launch(db.session, context)
    note_launch(db.session, context, record)
    db.session.commit()
    reference = make_reference(launch_id)
    if context.kind == "deep-link":
        return redirect(url_for("lti.deep_link_picker", lr=reference), code=303)
    if context.audience is Audience.STAFF:
        return redirect(url_for("staff.start", lr=reference), code=303)
    return redirect(url_for("main.home", lr=reference), code=303)


def _peek(id_token: str | None) -> dict[str, Any]:
    """The token's claims without verification, only to explain failures precisely."""
    if not id_token:
        raise MissingClaimsError("no id_token", missing="the id_token")
    try:
        claims = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.InvalidTokenError as error:
        raise BadSignatureError(f"undecodable id_token: {error}") from None
    return claims if isinstance(claims, dict) else {}


def _audiences(claims: dict[str, Any]) -> list[str]:
    aud = claims.get("aud")
    return [a for a in (aud if isinstance(aud, list) else [aud]) if isinstance(a, str)]


def _check_launch_platform(conf: DatabaseToolConf, claims: dict[str, Any]) -> Platform:
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise MissingClaimsError("no iss", missing="the issuer (iss)")
    if not platforms.issuer_known(db.session, issuer):
        raise UnknownIssuerError(issuer=issuer)
    audiences = _audiences(claims)
    platform = conf.platform(issuer, audiences[0]) if audiences else None
    if platform is None:
        raise WrongAudienceError(issuer=issuer, audience=", ".join(audiences) or "(none)")
    # pylti1p3 accepts a token with no exp (it would never expire) or no iat; we do not.
    missing = [name for name in ("exp", "iat") if not isinstance(claims.get(name), int | float)]
    if missing:
        raise MissingClaimsError(
            "token without " + ", ".join(missing),
            missing="the token's " + " and ".join(missing) + " time",
        )
    return platform


def _id_token_hash(form: dict[str, str]) -> str:
    # pylti1p3 keys a validated state by the MD5 of the id_token; we must use its scheme.
    return hashlib.md5(form.get("id_token", "").encode()).hexdigest()  # noqa: S324


def _saved_login(session_service: FlaskSessionService, state: str) -> dict[str, str]:
    """The login parameters remembered server-side for this state, if any."""
    saved = session_service.get_state_params(state) if state else None
    login = saved.get("login") if isinstance(saved, dict) else None
    return login if isinstance(login, dict) else {}


def _verify_state_without_cookie(
    storage: DatabaseLaunchDataStorage,
    session_service: FlaskSessionService,
    form: dict[str, str],
    saved_login: dict[str, str],
    platform: Platform,
) -> Any:
    """Check the state through platform storage when the browser kept no cookie.

    Returns a page that asks the platform's storage for the login proof, or None when the
    launch should go on to pylti1p3's own checks (which refuse a state nobody vouched for).
    """
    state = form["state"]
    target = form.get("lti_storage_target") or saved_login.get("lti_storage_target")
    if form.get("storage_proof"):
        expected = storage.take_value(_PROOF_PREFIX + state)
        if expected and secrets.compare_digest(str(expected), form["storage_proof"]):
            session_service.set_state_valid(state, _id_token_hash(form))
        return None
    if not target or form.get("storage_checked"):
        return None
    if session_service.check_state_is_valid(state, _id_token_hash(form)):
        return None  # an already validated launch (pylti1p3 then refuses the reused nonce)
    return render_template(
        "lti/platform_storage_launch.html",
        form=form,
        target=target,
        state=state,
        platform_origin=_origin(platform.auth_login_url),
    )


def _new_window_url(saved_login: dict[str, str]) -> str | None:
    """Restart the login at top level, where the browser will keep the state cookie."""
    if not saved_login:
        return None
    query = {k: v for k, v in saved_login.items() if k != "lti_storage_target"}
    return f"{tool_urls().login}?{urlencode(query | {'lti1p3_new_window': '1'})}"


def _query_value(url: str, name: str) -> str:
    return parse_qs(urlsplit(url).query).get(name, [""])[0]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else "*"


@bp.get("/jwks")
def jwks() -> Any:
    """The tool's public keys: the current one and any still in their rotation grace period."""
    ensure_signing_key(db.session)
    keys = published_jwks(db.session, timedelta(days=settings().key_rotation_grace_days))
    db.session.commit()
    response = jsonify(keys)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
