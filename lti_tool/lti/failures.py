"""Turning pylti1p3's exceptions into the tool's plain-English errors.

pylti1p3 raises a few generic exception classes and tells failures apart only by message, so
the mapping reads the message and the chained cause. Each rule was checked against the
library's source for the pinned version.
"""

from __future__ import annotations

import jwt
from pylti1p3.exception import LtiException, OIDCException

from lti_tool.errors import (
    BadSignatureError,
    ExpiredTokenError,
    LaunchError,
    MissingClaimsError,
    PlatformKeysUnavailableError,
    ReplayedLaunchError,
    StateMismatchError,
    UnknownDeploymentError,
    UnknownKeyError,
    UnsupportedMessageError,
)


def translate(
    error: LtiException | OIDCException,
    *,
    issuer: str = "",
    message_type: str = "",
    deployment_id: str = "",
    retry_url: str | None = None,
) -> LaunchError:
    """The ToolError that explains ``error``."""
    text = str(error)
    cause = error.__cause__
    if isinstance(cause, jwt.ExpiredSignatureError | jwt.ImmatureSignatureError):
        return ExpiredTokenError(text)
    if (
        isinstance(cause, jwt.InvalidTokenError)
        or "JWT must contain 3 parts" in text
        or ("can't be decoded" in text)
    ):
        return BadSignatureError(text)
    if text in {"Missing state param", "State not found"}:
        return (
            StateMismatchError(text, retry_url=retry_url) if retry_url else StateMismatchError(text)
        )
    if text == "Invalid Nonce.":
        return ReplayedLaunchError(text)
    if text in {"Unable to find public key", "JWT KID not found"}:
        return UnknownKeyError(text)
    if text.startswith(("Error while fetching the public key", "Invalid response while fetching")):
        return PlatformKeysUnavailableError(text)
    if "deployment ID" in text:
        return UnknownDeploymentError(text, issuer=issuer, deployment_id=deployment_id)
    if text in {"Unrecognized message type", "Invalid message type"}:
        return UnsupportedMessageError(text, message_type=message_type or "(none)")
    return MissingClaimsError(text, missing=_missing_from(text))


def _missing_from(text: str) -> str:
    known = {
        'The "nonce" field is empty.': "the nonce",
        "Must have a user (sub)": "the user (sub)",
        "Missing Roles Claim": "the roles claim",
        "Incorrect version, expected 1.3.0": "LTI version 1.3.0",
        "Missing Resource Link Id": "the resource link id",
        'The LTI launch message "id_token" field is empty.': "the id_token",
        "Missing Deep Linking Settings": "the deep linking settings",
    }
    for message, what in known.items():
        if message in text:
            return what
    return text
