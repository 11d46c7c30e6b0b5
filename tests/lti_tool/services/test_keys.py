"""Tool keys: created once, rotated with the old key published through its grace period."""

from datetime import timedelta

import jwt
from flask import Flask
from jwt.algorithms import RSAAlgorithm

from lti_tool.extensions import db
from lti_tool.models import ToolKey, utcnow
from lti_tool.services.keys import ensure_signing_key, published_jwks, rotate_keys


def test_first_key_is_created_once(app: Flask) -> None:
    with app.app_context():
        first = ensure_signing_key(db.session)
        db.session.commit()
        again = ensure_signing_key(db.session)
        assert first.kid == again.kid
        assert db.session.query(ToolKey).count() == 1


def test_published_key_verifies_what_the_private_key_signs(app: Flask) -> None:
    with app.app_context():
        key = ensure_signing_key(db.session)
        jwks = published_jwks(db.session, timedelta(days=7))
    (jwk,) = jwks["keys"]
    assert jwk["kid"] == key.kid and jwk["alg"] == "RS256" and "d" not in jwk
    token = jwt.encode({"x": 1}, key.private_pem, algorithm="RS256", headers={"kid": key.kid})
    public = RSAAlgorithm.from_jwk(jwk)
    assert jwt.decode(token, public, algorithms=["RS256"]) == {"x": 1}


def test_rotation_keeps_old_key_published_during_grace(app: Flask) -> None:
    with app.app_context():
        old = ensure_signing_key(db.session)
        new_kid, retired = rotate_keys(db.session)
        db.session.commit()
        assert retired == [old.kid]
        assert ensure_signing_key(db.session).kid == new_kid
        kids = {k["kid"] for k in published_jwks(db.session, timedelta(days=7))["keys"]}
        assert kids == {old.kid, new_kid}
        # once the grace period has passed, only the new key is published
        db.session.query(ToolKey).filter_by(kid=old.kid).one().retired_at = utcnow() - timedelta(
            days=8
        )
        db.session.commit()
        kids = {k["kid"] for k in published_jwks(db.session, timedelta(days=7))["keys"]}
        assert kids == {new_kid}


def test_jwks_endpoint_never_shows_private_parts(client) -> None:
    response = client.get("/lti/jwks")
    assert response.status_code == 200
    body = response.get_json()
    assert body["keys"] and all(set(k) >= {"kid", "n", "e"} for k in body["keys"])
    assert not any(private in k for k in body["keys"] for private in ("d", "p", "q"))
    assert b"PRIVATE" not in response.data
