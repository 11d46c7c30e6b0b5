"""Every launch failure gets a plain-English page, the right status, a logged reference, no rows."""

from __future__ import annotations

import logging
import re
from http.cookiejar import DefaultCookiePolicy

import pytest

from tests.support.platform import SAM_STUDENT, STUDENT_ROLES, Tamper

from .conftest import CLIENT_ID, Setup, register_platform_in_tool, register_tool_in_platform

pytestmark = pytest.mark.functional

NO_ROWS = {"people": 0, "contexts": 0, "resource_links": 0, "memberships": 0}
LTI = "https://purl.imsglobal.org/spec/lti/claim/"


def _assert_refused(setup: Setup, page, status: int, message: str, caplog) -> None:
    assert page.status_code == status, page.text
    assert message in page.text
    assert "Traceback" not in page.text
    reference = re.search(r"Reference: <code>([0-9a-f]{12})</code>", page.text)
    assert reference, "the page must show a correlation id"
    assert reference.group(1) in caplog.text, "the correlation id must be in the log"
    assert setup.domain_rows() == NO_ROWS


def _launch(setup: Setup, **kwargs):
    return setup.open(setup.launch_url(user=SAM_STUDENT, roles=STUDENT_ROLES, **kwargs))


@pytest.fixture(autouse=True)
def _capture_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


@pytest.mark.parametrize(
    ("tamper", "status", "message"),
    [
        (Tamper(sign_with_unknown_key=True), 400, "could not be verified"),
        (
            Tamper(exp_offset=-120, iat_offset=-180),
            400,
            "The sign-in took too long and has expired",
        ),
        (Tamper(iat_offset=3600, exp_offset=3660), 400, "The sign-in took too long"),
        (Tamper(aud="someone-else"), 400, "addressed to a different tool"),
        (Tamper(deployment_id="99"), 400, "This placement of the tool has not been set up yet"),
        (Tamper(kid="no-such-key"), 400, "signed with a key this tool cannot find"),
        (Tamper(state="state-forged"), 400, "did not keep the sign-in details"),
        (Tamper(drop_claims=["roles"]), 400, "did not send everything this tool needs"),
        (Tamper(drop_claims=["sub"]), 400, "did not send everything this tool needs"),
        (Tamper(drop_claims=["nonce"]), 400, "did not send everything this tool needs"),
        (Tamper(drop_claims=["resource_link"]), 400, "did not send everything this tool needs"),
        (Tamper(drop_claims=["exp"]), 400, "did not send everything this tool needs"),
        (Tamper(drop_claims=["iat"]), 400, "did not send everything this tool needs"),
        (Tamper(drop_claims=["target_link_uri"]), 400, "did not send everything this tool needs"),
        (
            Tamper(message_type="LtiStartProctoring"),
            400,
            "asked for something this tool does not do",
        ),
        (
            Tamper(
                message_type="LtiSubmissionReviewRequest",
                claims={"https://purl.imsglobal.org/spec/lti/claim/for_user": {"user_id": "4"}},
            ),
            400,
            "asked for something this tool does not do",
        ),
        (Tamper(iss="https://unknown.example.org"), 400, "is not registered with this tool"),
    ],
    ids=[
        "bad-signature",
        "expired",
        "not-yet-valid",
        "wrong-audience",
        "unknown-deployment",
        "unknown-kid",
        "state-mismatch",
        "no-roles",
        "no-sub",
        "no-nonce",
        "no-resource-link",
        "no-exp",
        "no-iat",
        "no-target-link-uri",
        "unknown-message-type",
        "unsupported-message-type",
        "unknown-issuer-in-token",
    ],
)
def test_tampered_launch_is_refused(setup: Setup, caplog, tamper, status, message) -> None:
    _assert_refused(setup, _launch(setup, tamper=tamper), status, message, caplog)


def test_unknown_issuer_at_login(unregistered: Setup, caplog) -> None:
    page = _launch(unregistered)
    _assert_refused(unregistered, page, 400, "is not registered with this tool", caplog)
    assert "semh-lti platforms add" in page.text  # the administrator's next step


def test_unknown_client_id(setup: Setup, caplog) -> None:
    register_tool_in_platform(setup.platform, setup.tool_url, "rogue-client")
    page = setup.open(setup.launch_url("rogue-client", user=SAM_STUDENT, roles=STUDENT_ROLES))
    _assert_refused(setup, page, 400, "does not recognise the client id", caplog)


def test_replayed_id_token_is_refused(setup: Setup, caplog) -> None:
    assert _launch(setup).status_code == 200
    rows_after_first = setup.domain_rows()
    replay = setup.browser.replay_last_launch()
    assert replay.status_code == 400
    assert "This sign-in has already been used" in replay.text
    assert setup.domain_rows() == rows_after_first


def test_cookies_blocked_offers_a_new_window(setup: Setup, caplog) -> None:
    setup.browser.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    page = _launch(setup)
    _assert_refused(setup, page, 400, "did not keep the sign-in details", caplog)
    assert "Open in a new window" in page.text
    new_window = re.search(r'href="([^"]+lti1p3_new_window=1[^"]*)"', page.text)
    assert new_window and "/lti/login?" in new_window.group(1)


def test_registering_second_client_for_same_issuer_both_launch(setup: Setup) -> None:
    register_tool_in_platform(setup.platform, setup.tool_url, "second-client")
    register_platform_in_tool(setup.app, setup.platform, "second-client")
    for client in (CLIENT_ID, "second-client"):
        page = setup.open(setup.launch_url(client, user=SAM_STUDENT, roles=STUDENT_ROLES))
        assert page.status_code == 200, client
