"""Service views: OAuth2 token endpoint, AGS (line items, scores, results) and NRPS."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jwt
from flask import Blueprint, Response, jsonify, request
from lti1p3platform.constants import LTI_1P3_ACCESS_TOKEN_REQUIRED_CLAIMS
from lti1p3platform.exceptions import LtiException, UnsupportedGrantType
from lti1p3platform.response import Response as LtiResponse

from tests.support.platform.lti import FlaskPlatformRequest, PlatformConf, decode_access_token
from tests.support.platform.model import ScoreRecord, ToolRegistration
from tests.support.platform.runtime import Runtime, runtime
from tests.support.platform.services import (
    PlatformAGS,
    PlatformNRPS,
    lineitem_problem,
    score_problem,
)

bp = Blueprint("services", __name__)
SERVICES = "/mod/lti/services.php"
LINEITEM = f"{SERVICES}/<context_id>/lineitems/<lineitem_id>/lineitem"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
READ_LINEITEMS = [AGS + "lineitem", AGS + "lineitem.readonly"]
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"


class RefusedError(Exception):
    """A service request the platform answers with an error status."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description

    def response(self) -> Response:
        resp = jsonify({"error": self.error, "error_description": self.description})
        resp.status_code = self.status
        if self.status == 503:
            resp.headers["Retry-After"] = "1"
        return resp


def _refuse(rt: Runtime, exc: RefusedError) -> Response:
    with rt.state.lock:
        rt.state.service_errors.append(f"{request.method} {request.path}: {exc.description}")
    return exc.response()


def _client_assertion_problem(rt: Runtime, claims: dict[str, Any], client_id: str) -> str | None:
    """Checks lti1p3platform leaves out (it verifies only the signature and exp)."""
    aud = claims.get("aud")
    auds = aud if isinstance(aud, list) else [aud]
    jti = claims.get("jti")
    with rt.state.lock:
        replayed = jti in rt.state.used_jtis
        if jti and not replayed:
            rt.state.used_jtis.add(jti)
    problems = {
        "iss and sub must both be the client_id": claims.get("iss") != client_id,
        "aud must be the token endpoint": not {rt.state.urls.token, rt.state.urls.issuer}
        & set(map(str, auds)),
        "exp is required": "exp" not in claims,
        "jti is required": not jti,
        "jti was already used": replayed,
    }
    return next((text for text, failed in problems.items() if failed), None)


@bp.post("/mod/lti/token.php")
def token() -> Response:
    """OAuth2 client_credentials grant with a private_key_jwt client assertion."""
    rt = runtime()
    try:
        if rt.state.services_down:
            raise RefusedError(503, "temporarily_unavailable", "services are down")
        form = request.form.to_dict()
        missing = sorted(LTI_1P3_ACCESS_TOKEN_REQUIRED_CLAIMS - form.keys())
        if missing:
            raise RefusedError(400, "invalid_request", f"missing {', '.join(missing)}")
        if form["grant_type"] != "client_credentials":
            raise RefusedError(
                400, "unsupported_grant_type", "grant_type must be client_credentials"
            )
        if form["client_assertion_type"] != JWT_BEARER:
            raise RefusedError(400, "invalid_request", "client_assertion_type must be jwt-bearer")
        try:
            unverified = jwt.decode(form["client_assertion"], options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise RefusedError(400, "invalid_request", f"client_assertion: {exc}") from exc
        client_id = str(unverified.get("sub", ""))
        with rt.state.lock:
            tool = rt.state.tools.get(client_id)
        if tool is None:
            raise RefusedError(401, "invalid_client", f"unknown client {client_id!r}")
        scopes = form["scope"].split()
        if tool.scopes is not None:
            scopes = [s for s in scopes if s in tool.scopes]
        conf = PlatformConf(runtime=rt, tool=tool)
        try:
            answer = conf.get_access_token({**form, "scope": " ".join(scopes)})
        except (LtiException, UnsupportedGrantType, jwt.PyJWTError, AssertionError) as exc:
            raise RefusedError(401, "invalid_client", f"client assertion refused: {exc}") from exc
        problem = _client_assertion_problem(rt, unverified, client_id)
        if problem:
            raise RefusedError(401, "invalid_client", problem)
        if not answer["scope"]:
            raise RefusedError(400, "invalid_scope", "none of the requested scopes is available")
    except RefusedError as exc:
        return _refuse(rt, exc)
    with rt.state.lock:
        rt.state.token_requests.append({"client_id": client_id, "scope": answer["scope"]})
    return jsonify(dict(answer))


def _authorize(rt: Runtime, wanted: list[str]) -> tuple[ToolRegistration, list[str]]:
    """The tool and scopes of the request's bearer token, or :class:`RefusedError`."""
    if rt.state.services_down:
        raise RefusedError(503, "temporarily_unavailable", "services are down")
    parts = request.headers.get("Authorization", "").split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        raise RefusedError(401, "invalid_token", "missing bearer token")
    try:
        claims = decode_access_token(rt, parts[1])
    except jwt.PyJWTError as exc:
        raise RefusedError(401, "invalid_token", f"access token refused: {exc}") from exc
    scopes = str(claims.get("scopes", "")).split()
    with rt.state.lock:
        tool = rt.state.tools.get(str(claims.get("sub")))
    if tool is None:
        raise RefusedError(401, "invalid_token", "the token's client is not registered")
    if not set(wanted) & set(scopes):
        raise RefusedError(403, "insufficient_scope", f"needs one of {wanted}")
    type_id = request.args.get("type_id")
    if type_id is not None and type_id != str(tool.type_id):
        raise RefusedError(403, "access_denied", f"type_id {type_id} belongs to another tool")
    return tool, scopes


def _require_type(expected: str) -> None:
    if request.mimetype != expected:
        raise RefusedError(415, "unsupported_media_type", f"Content-Type must be {expected}")


def _json_body() -> Any:
    return request.get_json(force=True, silent=True)


def _next_url(page: int) -> str:
    parts = urlsplit(request.url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"] + [("page", str(page))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _to_flask(resp: LtiResponse) -> Response:
    """lti1p3platform's response as Flask's, with a quoted ``rel="next"`` Link header."""
    if not 200 <= resp.code < 300:
        out = jsonify({"error": resp.message})
        out.status_code = resp.code
        return out
    result = resp.result
    data = result
    link = None
    if isinstance(result, dict) and "content" in result:
        data = result["content"]
        if result.get("has_next"):
            page = request.args.get("page", "1")
            link = _next_url(int(page) + 1 if page.isdigit() else 2)
    elif isinstance(result, dict) and result.get("next"):
        data = {k: v for k, v in result.items() if k != "next"}
        link = str(result["next"])
    body = "" if data is None else json.dumps(data)
    out = Response(body, status=resp.code, content_type=resp.media_type)
    if link:
        out.headers["Link"] = f'<{link}>; rel="next"'
    return out


def _ags(rt: Runtime, tool: ToolRegistration, context_id: str) -> PlatformAGS:
    conf = PlatformConf(runtime=rt, tool=tool)
    return PlatformAGS(
        FlaskPlatformRequest(request), conf, runtime=rt, context_id=context_id, tool=tool
    )


def _serve(handler: Callable[[Runtime], Response]) -> Response:
    rt = runtime()
    try:
        return handler(rt)
    except RefusedError as exc:
        return _refuse(rt, exc)


@bp.route(f"{SERVICES}/<context_id>/lineitems", methods=["GET", "POST"])
def lineitems(context_id: str) -> Response:
    def handle(rt: Runtime) -> Response:
        if request.method == "GET":
            tool, _ = _authorize(rt, READ_LINEITEMS)
            service = _ags(rt, tool, context_id)
            return _to_flask(service.handle_resp(service.handle_get_lineitems))
        tool, _ = _authorize(rt, [AGS + "lineitem"])
        _require_type(LINEITEM_TYPE)
        problem = lineitem_problem(_json_body())
        if problem:
            raise RefusedError(400, "invalid_request", problem)
        service = _ags(rt, tool, context_id)
        return _to_flask(service.handle_resp(service.handle_create_lineitem))

    return _serve(handle)


@bp.route(f"{LINEITEM}", methods=["GET", "PUT", "DELETE"])
def lineitem(context_id: str, lineitem_id: str) -> Response:
    def handle(rt: Runtime) -> Response:
        if request.method == "GET":
            tool, _ = _authorize(rt, READ_LINEITEMS)
            service = _ags(rt, tool, context_id)
            return _to_flask(
                service.handle_resp(service.handle_get_lineitem, line_item_id=lineitem_id)
            )
        tool, _ = _authorize(rt, [AGS + "lineitem"])
        service = _ags(rt, tool, context_id)
        if request.method == "DELETE":
            return _to_flask(
                service.handle_resp(service.handle_delete_lineitem, line_item_id=lineitem_id)
            )
        _require_type(LINEITEM_TYPE)
        problem = lineitem_problem(_json_body(), partial=True)
        if problem:
            raise RefusedError(400, "invalid_request", problem)
        return _to_flask(
            service.handle_resp(service.handle_update_lineitem, line_item_id=lineitem_id)
        )

    return _serve(handle)


def _record_score(rt: Runtime, status: int, scopes: list[str], client_id: str | None) -> None:
    lineitem_id = request.view_args.get("lineitem_id") if request.view_args else None
    url = request.url.replace("/lineitem/scores", "/lineitem", 1)
    record = ScoreRecord(
        lineitem_url=url,
        lineitem_id=int(lineitem_id) if lineitem_id and lineitem_id.isdigit() else None,
        body=_json_body(),
        content_type=request.content_type or "",
        token_scopes=scopes,
        client_id=client_id,
        status=status,
    )
    with rt.state.lock:
        rt.state.scores.append(record)


@bp.post(f"{LINEITEM}/scores")
def scores(context_id: str, lineitem_id: str) -> Response:
    rt = runtime()
    scopes: list[str] = []
    client_id = None
    try:
        tool, scopes = _authorize(rt, [AGS + "score"])
        client_id = tool.client_id
        _require_type(SCORE_TYPE)
        problem = score_problem(_json_body())
        if problem:
            raise RefusedError(400, "invalid_request", problem)
        service = _ags(rt, tool, context_id)
        resp = _to_flask(service.handle_resp(service.handle_update_score, line_item_id=lineitem_id))
        if resp.status_code == 200:
            resp.set_data(b"")  # Moodle answers an empty 200
    except RefusedError as exc:
        resp = _refuse(rt, exc)
    _record_score(rt, resp.status_code, scopes, client_id)
    return resp


@bp.get(f"{LINEITEM}/results")
def results(context_id: str, lineitem_id: str) -> Response:
    def handle(rt: Runtime) -> Response:
        tool, _ = _authorize(rt, [AGS + "result.readonly"])
        service = _ags(rt, tool, context_id)
        return _to_flask(service.handle_resp(service.handle_get_results, line_item_id=lineitem_id))

    return _serve(handle)


@bp.get(f"{SERVICES}/CourseSection/<context_id>/bindings/<int:type_id>/memberships")
def memberships(context_id: str, type_id: int) -> Response:
    def handle(rt: Runtime) -> Response:
        tool, _ = _authorize(rt, [NRPS_SCOPE])
        if type_id != tool.type_id:
            raise RefusedError(403, "access_denied", "binding belongs to another tool")
        conf = PlatformConf(runtime=rt, tool=tool)
        service = PlatformNRPS(
            FlaskPlatformRequest(request), conf, runtime=rt, context_id=context_id, tool=tool
        )
        return _to_flask(service.handle_resp(service.handle_get_members))

    return _serve(handle)
