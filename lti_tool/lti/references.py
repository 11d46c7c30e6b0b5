"""Signed, short-lived launch references carried by every page after a launch.

Inside an LMS iframe third-party cookies may be blocked, so pages carry a reference to the
server-side launch instead of a session cookie. The reference is signed with the app secret
and expires; it also protects forms from cross-site submission, since another site cannot
learn it.
"""

from __future__ import annotations

from flask import g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lti_tool.errors import LaunchReferenceError
from lti_tool.launch import LaunchContext
from lti_tool.lti.claims import launch_context
from lti_tool.lti.runtime import launch_storage, settings

PARAM = "lr"
_SALT = "semh-lti.launch-reference"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings().secret_key, salt=_SALT)


def make_reference(launch_id: str) -> str:
    """A reference to the launch with this id."""
    return _serializer().dumps({"l": launch_id})


def resolve(reference: str | None) -> LaunchContext:
    """The launch a reference points to; raises LaunchReferenceError when it is not valid."""
    max_age = settings().launch_ref_max_age
    if not reference:
        raise LaunchReferenceError("no launch reference", max_age=max_age)
    try:
        payload = _serializer().loads(reference, max_age=max_age)
    except SignatureExpired:
        raise LaunchReferenceError("launch reference expired", max_age=max_age) from None
    except BadSignature:
        raise LaunchReferenceError(
            "launch reference tampered or malformed", max_age=max_age
        ) from None
    launch_id = payload.get("l") if isinstance(payload, dict) else None
    claims = launch_storage().get_value(launch_id) if isinstance(launch_id, str) else None
    if not claims:
        raise LaunchReferenceError("launch data gone", max_age=max_age)
    return launch_context(launch_id, claims)


def current_launch() -> LaunchContext:
    """The launch of the current request, resolved once from its ``lr`` parameter."""
    if "launch" not in g:
        g.launch = resolve(request.values.get(PARAM))
        g.launch_ref = request.values.get(PARAM)
    return g.launch  # type: ignore[no-any-return]
