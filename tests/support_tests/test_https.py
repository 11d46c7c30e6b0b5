"""The same flows over HTTPS, with a trustme certificate for both loopback addresses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.platform import Browser, TestPlatform
from tests.support.tls import make_test_tls
from tests.support_tests.conftest import register_pair
from tests.support_tests.stub_tool import StubTool


def test_launch_score_and_deep_link_over_https(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls = make_test_tls(tmp_path)
    server_ctx, client_ctx, ca_file = tls.server, tls.client, tls.ca_file
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))  # pylti1p3 uses requests

    with (
        TestPlatform(ssl_context=server_ctx, outbound_verify=str(ca_file)) as platform,
        StubTool(ssl_context=server_ctx) as tool,
        Browser(verify=client_ctx) as browser,
    ):
        pair = register_pair(platform, tool)
        assert platform.issuer.startswith("https://127.0.0.2:")
        assert tool.url.startswith("https://127.0.0.1:")

        launched = browser.open(platform.launch_url(pair.client_id))
        assert launched.status_code == 200, launched.text
        launch_id = launched.json()["launch_id"]
        state_cookie = next(c for c in browser.cookies.jar if c.name.startswith("lti1p3-state"))
        assert state_cookie.secure

        scored = browser.open(f"{tool.url}/score?launch_id={launch_id}")
        assert scored.status_code == 200, scored.text
        assert platform.scores[-1].status == 200

        linked = browser.open(
            platform.launch_url(pair.client_id, message_type="LtiDeepLinkingRequest")
        )
        assert linked.status_code == 200, linked.text
        assert len(platform.deep_link_responses) == 1
        assert platform.server_errors == []
