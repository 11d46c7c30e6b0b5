"""Launch views: JWKS, login initiation, the OIDC authorization endpoint, Deep Linking return."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
from flask import Blueprint, Response, jsonify, redirect, request
from lti1p3platform.exceptions import LtiDeepLinkingResponseException, LtiException

from tests.support.platform.html import autosubmit_form, frame_page, message_page
from tests.support.platform.launch_message import PlatformMessageLaunch
from tests.support.platform.lti import (
    FlaskPlatformRequest,
    PlatformConf,
    PlatformOIDCLogin,
    platform_jwks,
)
from tests.support.platform.model import (
    DeepLinkResponse,
    DeepLinkSession,
    IssuedLaunch,
    LaunchSpec,
    LineItem,
    ToolRegistration,
)
from tests.support.platform.runtime import Runtime, runtime

bp = Blueprint("launch", __name__)
LOGIN_PARAMS = (
    "iss",
    "target_link_uri",
    "login_hint",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
)


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/html")


@bp.get("/mod/lti/certs.php")
def jwks() -> Response:
    return jsonify(platform_jwks(runtime()))


@bp.get("/launch/<launch_id>")
def initiate_login(launch_id: str) -> Any:
    """Step 1: send the browser to the tool's login URL (auto-submitted POST, or a redirect)."""
    rt = runtime()
    with rt.state.lock:
        spec = rt.state.launches.get(launch_id)
        tool = rt.state.tools.get(spec.client_id) if spec else None
    if spec is None or tool is None:
        return _html(message_page("Unknown launch", launch_id), 404)
    conf = PlatformConf(runtime=rt, tool=tool)
    login = PlatformOIDCLogin(FlaskPlatformRequest(request), conf)
    login.set_lti_message_hint(lti_message_hint=spec.lti_message_hint)
    login.set_launch_url(spec.target_link_uri)
    url = login.initiate_login(spec.user.sub)
    query = dict(parse_qsl(urlsplit(url).query))
    fields = [(k, query[k]) for k in LOGIN_PARAMS if k in query]
    if spec.storage_target is not None:
        fields.append(("lti_storage_target", spec.storage_target))
    if spec.login_method == "GET":
        sep = "&" if "?" in tool.login_url else "?"
        return redirect(f"{tool.login_url}{sep}{urlencode(fields)}", code=302)
    return _html(autosubmit_form(tool.login_url, fields, form_name="ltiInitiateLoginForm"))


@bp.get("/course/frame/<launch_id>")
def course_frame(launch_id: str) -> Response:
    """A course page embedding the launch in an iframe, as Moodle embeds tools by default."""
    rt = runtime()
    with rt.state.lock:
        known = launch_id in rt.state.launches
    if not known:
        return _html(message_page("Unknown launch", launch_id), 404)
    return _html(frame_page(rt.state.urls.launch(launch_id)))


def _auth_error(rt: Runtime, text: str) -> Response:
    with rt.state.lock:
        rt.state.auth_errors.append(text)
    return _html(message_page("Invalid authentication request", text), 400)


def _check_auth_request(
    rt: Runtime, params: dict[str, str]
) -> tuple[LaunchSpec, ToolRegistration] | str:
    """The launch and tool an OIDC authentication request is for, or why it is refused."""
    with rt.state.lock:
        tool = rt.state.tools.get(params.get("client_id", ""))
        launch_id = rt.state.hints.get(params.get("lti_message_hint", ""))
        spec = rt.state.launches.get(launch_id) if launch_id else None
    if tool is None:
        return f"unknown client_id {params.get('client_id')!r}"
    if params.get("redirect_uri") not in tool.redirect_uris:
        return f"redirect_uri {params.get('redirect_uri')!r} is not registered for this client"
    expected = {"response_type": "id_token", "response_mode": "form_post", "prompt": "none"}
    for name, value in expected.items():
        if params.get(name) != value:
            return f"{name} must be {value!r}, got {params.get(name)!r}"
    if "openid" not in params.get("scope", "").split():
        return "scope must include 'openid'"
    for name in ("nonce", "state", "login_hint", "lti_message_hint"):
        if not params.get(name):
            return f"{name} is missing"
    if spec is None:
        return "lti_message_hint does not match a launch this platform started"
    if spec.client_id != tool.client_id:
        return "lti_message_hint belongs to another client"
    if params["login_hint"] != spec.user.sub:
        return "login_hint does not match the user who started the launch"
    return spec, tool


def _prepare_platform_records(rt: Runtime, spec: LaunchSpec, tool: ToolRegistration) -> None:
    """Enrol the user and create the activity's line item, as launching in Moodle implies."""
    ctx = spec.context
    if ctx is None:
        return
    rt.state.enrol(ctx, spec.user, spec.roles)
    link = spec.resource_link_id
    if spec.message_type != "LtiResourceLinkRequest" or link is None:
        return
    with rt.state.lock:
        rt.state.resource_links.add((ctx.id, tool.client_id, link))
        if (
            spec.ags
            and spec.ags_lineitem
            and not rt.state.lineitem_for_link(ctx.id, tool.client_id, link)
        ):
            label = spec.resource_link_title or f"Activity {link}"
            rt.state.add_lineitem(
                LineItem(0, ctx.id, tool.client_id, label, 100.0, resource_link_id=link)
            )


def _deep_link_session(rt: Runtime, spec: LaunchSpec, tool: ToolRegistration) -> DeepLinkSession:
    session = DeepLinkSession(
        dl_id=secrets.token_urlsafe(12),
        client_id=tool.client_id,
        deployment_id=tool.deployment_id,
        context_id=spec.context.id if spec.context else None,
        data=spec.deep_link_data,
        accept_types=["ltiResourceLink"],
    )
    with rt.state.lock:
        rt.state.deep_link_sessions[session.dl_id] = session
    return session


@bp.route("/mod/lti/auth.php", methods=["GET", "POST"])
def authorize() -> Response:
    """Step 2: check the tool's authentication request, answer with a signed id_token."""
    rt = runtime()
    params = request.args.to_dict() if request.method == "GET" else request.form.to_dict()
    checked = _check_auth_request(rt, params)
    if isinstance(checked, str):
        return _auth_error(rt, checked)
    spec, tool = checked
    _prepare_platform_records(rt, spec, tool)
    dl_session = None
    if spec.message_type == "LtiDeepLinkingRequest":
        dl_session = _deep_link_session(rt, spec, tool)
    conf = PlatformConf(runtime=rt, tool=tool, tamper=spec.tamper)
    launch = PlatformMessageLaunch(
        FlaskPlatformRequest(request),
        conf,
        runtime=rt,
        spec=spec,
        tool=tool,
        dl_session=dl_session,
    )
    data = launch.lti_launch()
    state = spec.tamper.state if spec.tamper and spec.tamper.state is not None else data["state"]
    issued = IssuedLaunch(
        launch_id=spec.launch_id,
        client_id=tool.client_id,
        redirect_uri=data["launch_url"],
        state=state,
        id_token=data["id_token"],
        header=dict(conf.registration.signed_header),
        claims=dict(conf.registration.signed_claims),
    )
    with rt.state.lock:
        rt.state.issued.append(issued)
    fields = [("id_token", data["id_token"]), ("state", state)]
    return _html(autosubmit_form(data["launch_url"], fields))


def _check_deep_link_claims(
    rt: Runtime, session: DeepLinkSession, claims: dict[str, Any], items: list[Any]
) -> str | None:
    """What lti1p3platform does not check in a Deep Linking response, or None when all is well."""
    aud = claims.get("aud")
    auds = aud if isinstance(aud, list) else [aud]
    lti = "https://purl.imsglobal.org/spec/lti/claim/"
    problems = {
        "iss must be the client_id": claims.get("iss") != session.client_id,
        "aud must be the platform issuer": rt.state.urls.issuer not in auds,
        "deployment_id does not match the request": claims.get(lti + "deployment_id")
        != session.deployment_id,
        "version must be 1.3.0": claims.get(lti + "version") != "1.3.0",
        "nonce is missing": not claims.get("nonce"),
        "iat and exp are required": "iat" not in claims or "exp" not in claims,
        "data must echo the request's data": session.data is not None
        and claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/data") != session.data,
        "content_items must be a list": not isinstance(items, list),
    }
    return next((text for text, failed in problems.items() if failed), None)


def _add_deep_linked_items(rt: Runtime, session: DeepLinkSession, items: list[Any]) -> None:
    """Each ltiResourceLink with a lineItem becomes a gradebook column, as in Moodle."""
    if session.context_id is None:
        return
    for item in items:
        line = item.get("lineItem") if isinstance(item, dict) else None
        if item.get("type") != "ltiResourceLink" or not isinstance(line, dict):
            continue
        with rt.state.lock:
            link_id = f"dl-{secrets.token_hex(4)}"
            rt.state.resource_links.add((session.context_id, session.client_id, link_id))
            rt.state.add_lineitem(
                LineItem(
                    0,
                    session.context_id,
                    session.client_id,
                    str(line.get("label") or item.get("title") or "Deep-linked item"),
                    float(line.get("scoreMaximum", 100)),
                    str(line.get("resourceId", "")),
                    str(line.get("tag", "")),
                    link_id,
                )
            )


@bp.post("/mod/lti/contentitem_return.php")
def deep_link_return() -> Response:
    """Step 3 of Deep Linking: verify the tool's signed response (tool JWKS over HTTP)."""
    rt = runtime()
    dl_id = request.args.get("dl", "")
    with rt.state.lock:
        session = rt.state.deep_link_sessions.get(dl_id)
        tool = rt.state.tools.get(session.client_id) if session else None
    if session is None or tool is None:
        return _html(message_page("Unknown deep linking request", dl_id), 404)
    token = request.form.get("JWT", "")
    conf = PlatformConf(runtime=rt, tool=tool)
    conf.set_accepted_deeplinking_types(session.accept_types)
    try:
        items = conf.validate_deeplinking_resp({"JWT": token})
        claims = jwt.decode(token, options={"verify_signature": False})
        problem = _check_deep_link_claims(rt, session, claims, items)
    except (LtiException, LtiDeepLinkingResponseException, jwt.PyJWTError, AssertionError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    if problem is not None:
        with rt.state.lock:
            rt.state.deep_link_errors.append(problem)
        return _html(message_page("Deep Linking response refused", problem), 400)
    record = DeepLinkResponse(
        client_id=tool.client_id,
        header=jwt.get_unverified_header(token),
        claims=claims,
        content_items=list(items),
    )
    with rt.state.lock:
        rt.state.deep_link_responses.append(record)
    _add_deep_linked_items(rt, session, list(items))
    return _html(message_page("Content added", f"{len(items)} item(s) received."))


@bp.get("/mod/lti/return.php")
def launch_return() -> Response:
    """The launch_presentation return_url: records what the tool sent back."""
    rt = runtime()
    with rt.state.lock:
        rt.state.returns.append(request.args.to_dict())
    return _html(message_page("Back in the course", request.args.get("lti_msg", "")))
