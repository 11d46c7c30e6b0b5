"""Every Tamper knob yields a launch that pylti1p3 refuses; no tampering is accepted."""

from __future__ import annotations

import httpx
import jwt
import pytest
from jwt import PyJWKSet

from tests.support.platform import Browser, Tamper
from tests.support_tests.conftest import Pair

CASES = {
    "unknown signing key": (Tamper(sign_with_unknown_key=True), "Signature verification failed"),
    "unknown kid": (Tamper(kid="no-such-kid"), "Unable to find public key"),
    "expired": (Tamper(exp_offset=-120), "Signature has expired"),
    "issued in the future": (Tamper(iat_offset=3600), "not yet valid"),
    "other audience": (Tamper(aud="someone-else"), "[client_id=someone-else] not found"),
    "other issuer": (Tamper(iss="https://evil.example"), "iss https://evil.example not found"),
    "unknown deployment": (Tamper(deployment_id="999"), 'deployment ID "999"'),
    "no deployment claim": (Tamper(drop_claims=["deployment_id"]), "deployment_id"),
    "no roles claim": (Tamper(drop_claims=["roles"]), "Missing Roles Claim"),
    "no sub": (Tamper(drop_claims=["sub"]), "Must have a user (sub)"),
    "unknown message type": (Tamper(message_type="LtiMysteryRequest"), "Unrecognized message"),
    "deep linking without settings": (
        Tamper(message_type="LtiDeepLinkingRequest"),
        "Missing Deep Linking Settings",
    ),
    "forged nonce": (Tamper(nonce="forged"), "Invalid Nonce"),
    "forged state": (Tamper(state="state-forged"), "State not found"),
    "wrong version": (
        Tamper(claims={"https://purl.imsglobal.org/spec/lti/claim/version": "1.1"}),
        "Incorrect version",
    ),
}


@pytest.mark.parametrize(("tamper", "reason"), CASES.values(), ids=CASES.keys())
def test_tampered_launch_is_refused(
    pair: Pair, browser: Browser, tamper: Tamper, reason: str
) -> None:
    refused_before = len(pair.tool.launch_errors)

    final = browser.open(pair.platform.launch_url(pair.client_id, tamper=tamper))

    assert final.status_code == 400
    assert len(pair.tool.launch_errors) == refused_before + 1
    assert reason in pair.tool.launch_errors[-1]


def test_untampered_launch_is_accepted(pair: Pair, browser: Browser) -> None:
    final = browser.open(pair.platform.launch_url(pair.client_id, tamper=Tamper()))

    assert final.status_code == 200, final.text


def test_unknown_key_signature_is_valid_but_not_by_a_published_key(
    pair: Pair, browser: Browser
) -> None:
    platform = pair.platform
    browser.open(platform.launch_url(pair.client_id, tamper=Tamper(sign_with_unknown_key=True)))
    issued = platform.last_launch
    assert issued is not None
    jwks = PyJWKSet.from_dict(httpx.get(platform.jwks_url).json())

    assert issued.header["kid"] == platform.signing_kid
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            issued.id_token,
            jwks[platform.signing_kid].key,
            algorithms=["RS256"],
            options={"verify_aud": False},
        )


def test_tampered_claims_are_what_was_signed(pair: Pair, browser: Browser) -> None:
    platform = pair.platform
    tamper = Tamper(aud=["someone", "else"], drop_claims=["name", "email"], exp_offset=-5)
    browser.open(platform.launch_url(pair.client_id, tamper=tamper))
    issued = platform.last_launch
    assert issued is not None

    signed = jwt.decode(issued.id_token, options={"verify_signature": False})

    assert signed == issued.claims
    assert signed["aud"] == ["someone", "else"]
    assert "name" not in signed
    assert "email" not in signed
    assert signed["exp"] < signed["iat"]


@pytest.mark.parametrize("dropped", [["exp"], ["iat"], ["target_link_uri"]])
def test_pylti1p3_does_not_require_these_claims(
    pair: Pair, browser: Browser, dropped: list[str]
) -> None:
    """A fact about the tool library, not the platform: pylti1p3(next) 2.0.2 accepts an
    id_token without ``exp`` (it never expires), ``iat`` or ``target_link_uri``. A tool that
    wants them must check them itself; ``Tamper(drop_claims=...)`` makes the negative test."""
    final = browser.open(
        pair.platform.launch_url(pair.client_id, tamper=Tamper(drop_claims=dropped))
    )

    assert final.status_code == 200
    assert dropped[0] not in final.json()["claims"]
