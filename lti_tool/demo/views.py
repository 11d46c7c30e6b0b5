"""The demo platform's pages: pick a person, launch, and the OIDC authorization endpoint."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from flask import abort, jsonify, render_template, request

from lti_tool.demo import bp
from lti_tool.demo.platform import (
    CLIENT_ID,
    DEPLOYMENT_ID,
    PERSONAS,
    ensure_registered,
    load_demo_platform,
)
from lti_tool.errors import ForbiddenError, MissingClaimsError
from lti_tool.extensions import db
from lti_tool.lti.runtime import settings, tool_urls


def _is_loopback(host: str) -> bool:
    name = (
        host.rsplit(":", 1)[0].strip("[]") if not host.startswith("[") else host[1:].split("]")[0]
    )
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@bp.before_request
def only_on_loopback() -> None:
    """The demo signs launches for anyone who asks, so it must never face a network."""
    if not settings().demo_enabled:
        abort(404)
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    peers = (request.remote_addr or "", original.get("REMOTE_ADDR") or "127.0.0.1")
    # Check the socket's peer as well as the proxy-reported one: a forwarded header can lie.
    if not (_is_loopback(request.host) and all(_is_loopback(peer) for peer in peers)):
        raise ForbiddenError(
            "demo reached over the network",
            reason="The demo platform only works on this computer "
            "(http://127.0.0.1). It is switched off for network access.",
        )


def _demo() -> Any:
    return load_demo_platform(settings().instance_path, tool_urls())


@bp.get("/")
def index() -> Any:
    """Choose who to be and what to open."""
    demo = _demo()
    ensure_registered(db.session, demo)
    db.session.commit()
    return render_template("demo/index.html", personas=PERSONAS.values())


@bp.post("/launch")
def start_launch() -> Any:
    """Begin the launch the way an LMS does: a form posted to the tool's login URL."""
    persona = PERSONAS.get(request.form.get("persona", ""))
    message = request.form.get("message", "resource")
    if persona is None or message not in {"resource", "deep-link"}:
        raise MissingClaimsError("bad demo choice", missing="a person and an activity to open")
    demo = _demo()
    ensure_registered(db.session, demo)
    db.session.commit()
    fields = {
        "iss": demo.issuer,
        "login_hint": persona.key,
        "target_link_uri": tool_urls().launch,
        "lti_message_hint": json.dumps({"message": message}),
        "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT_ID,
    }
    return render_template("demo/autosubmit.html", action=tool_urls().login, fields=fields)


@bp.get("/auth")
def authorize() -> Any:
    """OIDC authorization endpoint: check the tool's request and post back a signed id_token."""
    args = request.args
    demo = _demo()
    persona = PERSONAS.get(args.get("login_hint", ""))
    problems = [
        name
        for name, ok in (
            ("client_id", args.get("client_id") == CLIENT_ID),
            ("redirect_uri", args.get("redirect_uri") == tool_urls().launch),
            ("response_type", args.get("response_type") == "id_token"),
            ("scope", args.get("scope") == "openid"),
            ("nonce", bool(args.get("nonce"))),
            ("login_hint", persona is not None),
        )
        if not ok
    ]
    if problems or persona is None:
        raise MissingClaimsError("bad authentication request", missing=", ".join(problems))
    try:
        message = json.loads(args.get("lti_message_hint", "{}")).get("message", "resource")
    except (ValueError, AttributeError):
        message = "resource"
    token = demo.id_token(persona, args["nonce"], message)
    fields = {"id_token": token, "state": args.get("state", "")}
    return render_template("demo/autosubmit.html", action=args["redirect_uri"], fields=fields)


@bp.get("/jwks")
def jwks() -> Any:
    """The demo platform's public key."""
    return jsonify({"keys": [_demo().jwk()]})


@bp.post("/deep-link-return")
def deep_link_return() -> Any:
    """Where the tool returns a deep-linking choice: show what arrived."""
    return render_template("demo/deep_link_return.html", jwt=request.form.get("JWT", ""))
