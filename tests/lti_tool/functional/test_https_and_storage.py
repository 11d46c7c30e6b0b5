"""Over HTTPS the login cookie is Partitioned; with no cookie, platform storage keeps state."""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterator
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import httpx
import pytest

from lti_tool.lti.launching import forget_key_sets
from tests.support.net import free_port
from tests.support.platform import SAM_STUDENT, STUDENT_ROLES, Browser, TestPlatform
from tests.support.servers import serve
from tests.support.tls import TestTLS, make_test_tls

from .conftest import CLIENT_ID, Setup, register_platform_in_tool, register_tool_in_platform

pytestmark = pytest.mark.functional


@pytest.fixture
def tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestTLS:
    """A test CA for both loopback addresses, trusted by pylti1p3's requests calls too."""
    made = make_test_tls(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", made.ca_file)
    return made


@pytest.fixture
def https_setup(tls, make_app) -> Iterator[tuple[Setup, ssl.SSLContext]]:
    server_ctx, client_ctx, ca_file = tls.server, tls.client, tls.ca_file
    port = free_port()
    tool_url = f"https://127.0.0.1:{port}"
    app = make_app(base_url=tool_url)
    forget_key_sets()
    with (
        TestPlatform(host="127.0.0.2", ssl_context=server_ctx, outbound_verify=ca_file) as platform,
        serve(app, port=port, ssl_context=server_ctx),
        Browser(verify=client_ctx) as browser,
    ):
        register_tool_in_platform(platform, tool_url, CLIENT_ID)
        register_platform_in_tool(app, platform, CLIENT_ID)
        yield Setup(platform, app, tool_url, browser), client_ctx


def test_login_cookie_is_partitioned_over_https(https_setup) -> None:
    setup, client_ctx = https_setup
    with httpx.Client(verify=client_ctx) as client:
        login = client.post(
            f"{setup.tool_url}/lti/login",
            data={
                "iss": setup.platform.issuer,
                "login_hint": "4",
                "client_id": CLIENT_ID,
                "target_link_uri": f"{setup.tool_url}/lti/launch",
                "lti_deployment_id": "1",
            },
        )
    assert login.status_code == 302
    (cookie,) = login.headers.get_list("set-cookie")
    assert cookie.startswith("lti1p3-state-")
    for attribute in ("Secure", "HttpOnly", "SameSite=None", "Partitioned"):
        assert attribute in cookie


def test_full_launch_over_https(https_setup) -> None:
    setup, _ = https_setup
    page = setup.open(setup.launch_url(user=SAM_STUDENT, roles=STUDENT_ROLES))
    assert page.status_code == 200, page.text
    assert "Which framework fits where you work?" in page.text
    assert "session" not in {c.name for c in setup.browser.cookies.jar}  # no Flask session cookie


def _storage_login_page(setup: Setup):
    setup.browser.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    page = setup.open(
        setup.launch_url(user=SAM_STUDENT, roles=STUDENT_ROLES, storage_target="_parent")
    )
    assert page.status_code == 200
    data = dict(re.findall(r'data-(\w+)="([^"]*)"', page.text))
    assert data["target"] == "_parent"
    assert data["origin"] == setup.platform.issuer
    return data


def _continue_after_storage(setup: Setup, data: dict[str, str], proof: str | None):
    """Play platform storage: answer lti.get_data with ``proof``, then submit as the JS would."""
    relaunch = setup.open(data["next"].replace("&amp;", "&"))
    assert relaunch.status_code == 200
    assert 'id="relaunch"' in relaunch.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', relaunch.text))
    assert re.search(r'data-key="state_state-[0-9a-f-]+"', relaunch.text)
    fields["storage_proof"] = proof or ""
    return setup.browser.post(f"{setup.tool_url}/lti/launch", fields)


def test_platform_storage_launch_works_with_no_cookie(setup: Setup) -> None:
    data = _storage_login_page(setup)
    assert data["key"].startswith("state_state-")
    page = _continue_after_storage(setup, data, proof=data["value"])
    assert page.status_code == 200, page.text
    assert "Which framework fits where you work?" in page.text
    assert not list(setup.browser.cookies.jar)


def test_platform_storage_with_wrong_proof_is_refused(setup: Setup) -> None:
    data = _storage_login_page(setup)
    page = _continue_after_storage(setup, data, proof="not-the-proof")
    assert page.status_code == 400
    assert "did not keep the sign-in details" in page.text
    assert setup.domain_rows() == {
        "people": 0,
        "contexts": 0,
        "resource_links": 0,
        "memberships": 0,
    }


def test_platform_storage_with_no_answer_falls_back_to_a_new_window(setup: Setup) -> None:
    data = _storage_login_page(setup)
    page = _continue_after_storage(setup, data, proof=None)
    assert page.status_code == 400
    assert "Open in a new window" in page.text
