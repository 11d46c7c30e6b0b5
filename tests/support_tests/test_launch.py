"""Resource-link and deep-linking launches from the test platform into a real pylti1p3 tool."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.platform import TERRY_TEACHER, Browser, role_uri
from tests.support.platform.browser import _PageParser
from tests.support_tests.conftest import Pair

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
MOODLE_LOGIN_KEYS = [
    "iss",
    "target_link_uri",
    "login_hint",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
]


def test_resource_link_launch_carries_the_expected_claims(pair: Pair, browser: Browser) -> None:
    platform = pair.platform
    url = platform.launch_url(pair.client_id, roles=["Learner"], custom={"framework": "primary"})

    final = browser.open(url)

    assert final.status_code == 200, final.text
    claims = final.json()["claims"]  # as pylti1p3 validated them
    assert claims["iss"] == platform.issuer
    assert claims["aud"] == pair.client_id
    assert claims["sub"] == "4"
    assert claims["name"] == "Sam Student"
    assert claims[LTI + "message_type"] == "LtiResourceLinkRequest"
    assert claims[LTI + "deployment_id"] == "1"
    assert claims[LTI + "roles"] == [role_uri("Learner")]
    assert claims[LTI + "context"] == {
        "id": "2",
        "label": "LTI101",
        "title": "LTI Test Course",
        "type": ["CourseSection"],
    }
    assert claims[LTI + "resource_link"]["id"] == "1"
    assert claims[LTI + "custom"]["framework"] == "primary"
    assert claims[LTI + "tool_platform"]["product_family_code"] == "moodle"
    ags = claims[AGS]
    assert ags["lineitems"] == f"{platform.issuer}/mod/lti/services.php/2/lineitems?type_id=1"
    assert ags["lineitem"].endswith("/lineitem?type_id=1")
    assert len(ags["scope"]) == 4
    assert claims[NRPS]["service_versions"] == ["1.0", "2.0"]
    assert (
        claims[LTI + "custom"]["context_memberships_url"] == claims[NRPS]["context_memberships_url"]
    )
    issued = platform.last_launch
    assert issued is not None
    assert issued.claims == claims
    assert issued.header == {"alg": "RS256", "typ": "JWT", "kid": platform.signing_kid}
    assert [(h.method, h.via) for h in browser.history] == [
        ("GET", "open"),
        ("POST", "form"),
        ("GET", "redirect"),
        ("POST", "form"),
    ]
    assert browser.history[-1].url == pair.tool.launch_url


def test_login_initiation_is_shaped_like_moodle(pair: Pair, browser: Browser) -> None:
    page = browser.open(pair.platform.launch_url(pair.client_id), follow=False)

    parser = _PageParser()
    parser.feed(page.text)
    (form,) = parser.forms
    assert form.attrs["action"] == pair.tool.login_url
    assert form.attrs["method"] == "post"
    assert [name for name, _ in form.fields] == MOODLE_LOGIN_KEYS
    fields = dict(form.fields)
    assert fields["iss"] == pair.platform.issuer
    assert fields["login_hint"] == "4"
    assert fields["lti_deployment_id"] == "1"
    hint = json.loads(fields["lti_message_hint"])
    assert hint["cmid"] == 1
    assert hint["launchid"].startswith("ltilaunch1_")


def test_login_by_get_with_storage_target(pair: Pair, browser: Browser) -> None:
    url = pair.platform.launch_url(pair.client_id, login_method="GET", storage_target="_parent")

    final = browser.open(url)

    assert final.status_code == 200, final.text
    login = browser.history[1]
    assert (login.method, login.via) == ("GET", "redirect")
    query = parse_qs(urlsplit(login.url).query)
    assert query["lti_storage_target"] == ["_parent"]
    assert query["client_id"] == [pair.client_id]


def _auth_params(pair: Pair, browser: Browser) -> dict[str, str]:
    """A valid authentication request for a fresh launch, built by hand."""
    page = browser.open(pair.platform.launch_url(pair.client_id), follow=False)
    parser = _PageParser()
    parser.feed(page.text)
    fields = dict(parser.forms[0].fields)
    return {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": pair.client_id,
        "redirect_uri": pair.tool.launch_url,
        "state": "state-1",
        "nonce": "nonce-1",
        "login_hint": fields["login_hint"],
        "lti_message_hint": fields["lti_message_hint"],
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("redirect_uri", "http://127.0.0.1:1/elsewhere"),
        ("client_id", "nobody"),
        ("response_type", "code"),
        ("response_mode", "query"),
        ("scope", "profile"),
        ("prompt", "login"),
        ("nonce", ""),
        ("login_hint", "999"),
        ("lti_message_hint", '{"cmid":1,"launchid":"forged"}'),
    ],
)
def test_authorization_endpoint_refuses_bad_requests(
    pair: Pair, browser: Browser, name: str, value: str
) -> None:
    params = _auth_params(pair, browser)
    good = httpx.get(pair.platform.auth_login_url, params=params)
    assert good.status_code == 200
    assert 'name="id_token"' in good.text

    params[name] = value
    bad = httpx.post(pair.platform.auth_login_url, data=params)

    assert bad.status_code == 400
    assert pair.platform.auth_errors


def test_replay_posts_the_same_id_token_again(pair: Pair, browser: Browser) -> None:
    first = browser.open(pair.platform.launch_url(pair.client_id))
    form = browser.last_launch_form
    assert form is not None

    again = browser.replay_last_launch()

    assert browser.history[0].fields == form.fields
    assert browser.history[0].url == pair.tool.launch_url
    # pylti1p3 does not consume nonces (see shared/INTEROP.md): the replay is accepted.
    assert again.status_code == 200
    assert again.json()["claims"]["nonce"] == first.json()["claims"]["nonce"]


def test_deep_linking_request_and_verified_response(pair: Pair, browser: Browser) -> None:
    platform = pair.platform
    url = platform.launch_url(
        pair.client_id,
        message_type="LtiDeepLinkingRequest",
        user=TERRY_TEACHER,
        roles=["Instructor"],
    )

    final = browser.open(url)

    assert final.status_code == 200, final.text
    assert "Content added" in final.text
    request = next(i for i in reversed(platform.launches) if DL in i.claims)
    settings = request.claims[DL]
    assert settings["accept_types"] == ["ltiResourceLink"]
    assert settings["deep_link_return_url"].startswith(platform.issuer)
    assert "lineitem" not in request.claims[AGS]
    assert LTI + "resource_link" not in request.claims
    response = platform.deep_link_responses[-1]
    assert response.client_id == pair.client_id
    assert response.claims["iss"] == pair.client_id
    assert response.content_items[0]["custom"] == {"dl_item": "item-42"}
    column = platform.find_lineitem(label="Deep-linked stub item")
    assert column is not None
    assert column["scoreMaximum"] == 10
    assert browser.history[-1].url == settings["deep_link_return_url"]


def test_deep_linking_response_signed_by_another_key_is_refused(
    pair: Pair, browser: Browser
) -> None:
    platform = pair.platform
    browser.open(platform.launch_url(pair.client_id, message_type="LtiDeepLinkingRequest"))
    good = platform.deep_link_responses[-1]
    return_url = browser.history[-1].url
    rogue = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = rogue.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    claims = {**good.claims, "iat": int(time.time()), "exp": int(time.time()) + 60}
    forged = jwt.encode(claims, pem, algorithm="RS256", headers={"kid": good.header["kid"]})
    before = len(platform.deep_link_responses)

    answer = browser.post(return_url, {"JWT": forged})

    assert answer.status_code == 400
    assert len(platform.deep_link_responses) == before
    assert "Signature verification failed" in platform.deep_link_errors[-1]


def test_deep_linking_response_for_another_deployment_is_refused(
    pair: Pair, browser: Browser
) -> None:
    platform = pair.platform
    browser.open(platform.launch_url(pair.client_id, message_type="LtiDeepLinkingRequest"))
    return_url = browser.history[-1].url
    good = platform.deep_link_responses[-1]
    claims = {**good.claims, LTI + "deployment_id": "99"}
    token = jwt.encode(
        claims, pair.tool.private_key, algorithm="RS256", headers={"kid": good.header["kid"]}
    )

    answer = browser.post(return_url, {"JWT": token})

    assert answer.status_code == 400
    assert platform.deep_link_errors[-1] == "deployment_id does not match the request"
