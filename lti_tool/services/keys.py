"""The tool's RSA signing keys: created on first use, rotated with a grace period."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool.models import ToolKey, utcnow

KEY_SIZE = 2048


@dataclass(frozen=True)
class SigningKey:
    """The key the tool signs with now; the private half never leaves the process."""

    kid: str
    private_pem: str
    public_pem: str


def _new_key() -> ToolKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    jwk = JWK.from_pem(public_pem.encode())
    # pylti1p3 puts the RFC 7638 thumbprint in the JWT header; publishing the same kid keeps
    # platforms able to match our signatures to this key.
    kid = jwk.thumbprint()
    public_jwk = json.loads(jwk.export_public()) | {"kid": kid, "alg": "RS256", "use": "sig"}
    return ToolKey(kid=kid, private_pem=private_pem, public_pem=public_pem, public_jwk=public_jwk)


def _current(session: Session) -> ToolKey | None:
    return session.scalars(
        sa.select(ToolKey).where(ToolKey.retired_at.is_(None)).order_by(ToolKey.id.desc())
    ).first()


def ensure_signing_key(session: Session) -> SigningKey:
    """Return the current signing key, creating the first one if there is none."""
    key = _current(session)
    if key is None:
        key = _new_key()
        try:
            with session.begin_nested():
                session.add(key)
        except IntegrityError:  # another worker created one at the same moment
            key = _current(session)
            if key is None:
                raise
    return SigningKey(kid=key.kid, private_pem=key.private_pem, public_pem=key.public_pem)


def rotate_keys(session: Session) -> tuple[str, list[str]]:
    """Create a new signing key and retire the others; returns (new kid, retired kids)."""
    now = utcnow()
    retired = []
    for key in session.scalars(sa.select(ToolKey).where(ToolKey.retired_at.is_(None))):
        key.retired_at = now
        retired.append(key.kid)
    new = _new_key()
    session.add(new)
    session.flush()
    return new.kid, retired


def published_jwks(session: Session, grace: timedelta) -> dict[str, list[dict[str, Any]]]:
    """The public keys platforms may verify with: current ones and those retired within grace."""
    cutoff = utcnow() - grace
    keys = session.scalars(
        sa.select(ToolKey)
        .where(sa.or_(ToolKey.retired_at.is_(None), ToolKey.retired_at > cutoff))
        .order_by(ToolKey.id.desc())
    )
    return {"keys": [dict(key.public_jwk) for key in keys]}


def list_keys(session: Session) -> list[ToolKey]:
    """All keys, newest first, for the CLI."""
    return list(session.scalars(sa.select(ToolKey).order_by(ToolKey.id.desc())))
