"""LTI Dynamic Registration in both configuration shapes, then launches with the new client."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pylti1p3.dynamic_registration import DynamicRegistration

from tests.support.platform import Browser, TestPlatform
from tests.support_tests.stub_tool import PLATFORM_CONFIG, TOOL_CONFIG, StubTool


@pytest.fixture(scope="module")
def platform() -> Any:
    with TestPlatform() as p:
        yield p
        assert p.server_errors == []


@pytest.fixture(scope="module")
def tool() -> Any:
    with StubTool() as t:
        yield t


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize("legacy", [False, True], ids=["moodle-4.5", "legacy-moodle"])
def test_registration_then_launch(
    platform: TestPlatform, tool: StubTool, browser: Browser, legacy: bool
) -> None:
    url = platform.dynamic_registration_url(f"{tool.url}/register", legacy_moodle_shape=legacy)

    page = browser.open(url)

    assert page.status_code == 200, page.text
    assert "org.imsglobal.lti.close" in page.text
    record = platform.registrations[-1]
    assert record.legacy_moodle_shape is legacy
    assert record.response["client_id"] == record.client_id
    assert record.response[TOOL_CONFIG]["deployment_id"] == record.deployment_id
    assert record.response[TOOL_CONFIG]["target_link_uri"] == tool.launch_url
    assert record.request["client_name"] == "Stub LTI 1.3 Tool (dynamic)"
    registered = platform.tools[record.client_id]
    assert registered.deep_link_url == tool.launch_url
    assert registered.jwks_url == tool.jwks_url

    launched = browser.open(platform.launch_url(record.client_id))
    assert launched.status_code == 200, launched.text
    claims = launched.json()["claims"]
    assert claims["aud"] == record.client_id
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == (
        record.deployment_id
    )
    assert claims["https://purl.imsglobal.org/spec/lti/claim/custom"]["registered_via"] == (
        "dynamic"
    )
    deep = browser.open(platform.launch_url(record.client_id, message_type="LtiDeepLinkingRequest"))
    assert deep.status_code == 200, deep.text
    assert platform.deep_link_responses[-1].client_id == record.client_id


def test_configuration_shapes(platform: TestPlatform) -> None:
    current = httpx.get(platform.openid_configuration_url()).json()
    legacy = httpx.get(platform.openid_configuration_url(legacy_moodle_shape=True)).json()

    assert current["issuer"] == legacy["issuer"] == platform.issuer
    assert current["authorization_endpoint"] == platform.auth_login_url
    assert "authorization_endpoint" not in legacy
    assert PLATFORM_CONFIG in current
    assert PLATFORM_CONFIG not in legacy
    assert legacy[PLATFORM_CONFIG + " "]["product_family_code"] == "moodle"
    for config in (current, legacy):
        assert config["token_endpoint"] == platform.auth_token_url
        assert config["jwks_uri"] == platform.jwks_url
        assert config["registration_endpoint"].startswith(platform.issuer)


def test_registration_token_is_one_time(
    platform: TestPlatform, tool: StubTool, browser: Browser
) -> None:
    url = platform.dynamic_registration_url(f"{tool.url}/register")
    assert browser.open(url).status_code == 200
    count = len(platform.registrations)

    again = browser.open(url)

    assert again.status_code == 400
    assert "invalid_token" in tool.dr_errors[-1]
    assert len(platform.registrations) == count


def test_expired_registration_token_is_refused(
    platform: TestPlatform, tool: StubTool, browser: Browser
) -> None:
    url = platform.dynamic_registration_url(f"{tool.url}/register", token_lifetime=0)

    assert browser.open(url).status_code == 400
    assert "invalid_token" in tool.dr_errors[-1]


def _registration(tool: StubTool, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": tool.login_url,
        "redirect_uris": [tool.launch_url],
        "jwks_uri": tool.jwks_url,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": "",
        TOOL_CONFIG: {
            "domain": urlsplit(tool.url).netloc,
            "target_link_uri": tool.launch_url,
            "claims": ["iss", "sub"],
            "messages": [],
        },
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    "changes",
    [
        {"token_endpoint_auth_method": "client_secret_basic"},
        {"grant_types": ["implicit"]},
        {"application_type": "native"},
        {"redirect_uris": []},
        {"jwks_uri": "not a url"},
        {TOOL_CONFIG: {"domain": "elsewhere.example", "target_link_uri": "http://127.0.0.1/x"}},
        {
            TOOL_CONFIG: {
                "domain": "127.0.0.1",
                "target_link_uri": "http://127.0.0.1/x",
                "messages": [{"type": "LtiUnknownRequest"}],
            }
        },
    ],
    ids=["auth-method", "grants", "application-type", "redirects", "jwks", "domain", "message"],
)
def test_invalid_registrations_are_refused(
    platform: TestPlatform, tool: StubTool, changes: dict[str, Any]
) -> None:
    token = _query(platform.dynamic_registration_url(f"{tool.url}/register"))["registration_token"]
    endpoint = httpx.get(platform.openid_configuration_url()).json()["registration_endpoint"]
    headers = {"Authorization": f"Bearer {token}"}

    bad = httpx.post(endpoint, json=_registration(tool, **changes), headers=headers)
    good = httpx.post(endpoint, json=_registration(tool), headers=headers)

    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_client_metadata"
    assert good.status_code == 200  # a refused registration does not spend the token


class _LibraryRegistration(DynamicRegistration):
    def __init__(self, tool: StubTool, config_url: str, token: str) -> None:
        self.tool, self.config_url, self.token = tool, config_url, token

    def get_openid_configuration_endpoint(self) -> str:
        return self.config_url

    def get_registration_token(self) -> str:
        return self.token

    def get_initiate_login_uri(self) -> str:
        return self.tool.login_url

    def get_jwks_uri(self) -> str:
        return self.tool.jwks_url

    def get_redirect_uris(self) -> list[str]:
        return [self.tool.launch_url]

    def get_domain(self) -> str:
        return urlsplit(self.tool.url).netloc

    def get_target_link_uri(self) -> str:
        return self.tool.launch_url

    def get_logo_uri(self) -> str:
        return f"{self.tool.url}/logo.png"

    def complete_registration(self, configuration: Any, registration: Any) -> Any:
        return registration


def test_pylti1p3next_registration_helper_needs_the_current_shape(
    platform: TestPlatform, tool: StubTool
) -> None:
    """pylti1p3next's DynamicRegistration works with Moodle 4.5's shape but asserts on older
    Moodle's trailing-space key (after registering), so the tool must be tolerant itself."""
    for legacy in (False, True):
        params = _query(
            platform.dynamic_registration_url(f"{tool.url}/r", legacy_moodle_shape=legacy)
        )
        helper = _LibraryRegistration(
            tool, params["openid_configuration"], params["registration_token"]
        )
        if legacy:
            with pytest.raises(AssertionError, match="not an LTI platform configuration"):
                helper.register()
        else:
            assert TOOL_CONFIG in helper.register()
