"""The newcomer's demo platform: real OIDC and signatures, loopback only."""

from __future__ import annotations

import re

import pytest

from tests.support.platform import Browser


@pytest.mark.parametrize(
    ("persona", "name", "audience"),
    [
        ("staff", "Sam Patel", "staff member"),
        ("lead", "Terry Jones", "training lead"),
        ("admin", "Alex Morgan", "learning and development administrator"),
    ],
)
def test_demo_launches_each_person(live_tool, persona: str, name: str, audience: str) -> None:
    _, tool_url = live_tool
    with Browser() as browser:
        index = browser.open(f"{tool_url}/demo/")
        assert index.status_code == 200
        assert 'iframe name="tool-frame"' in index.text
        page = browser.post(f"{tool_url}/demo/launch", {"persona": persona, "message": "resource"})
        assert page.status_code == 200, page.text
        if persona == "staff":  # staff go straight into their journey (the demo sets a framework)
            assert "What do you do?" in page.text
            assert "SEMH competency framework — primary" in page.text
        else:
            assert f"Welcome, {name}" in page.text
            assert f"You are here as a <strong>{audience}</strong>" in page.text
        hops = [hop.url.split("?")[0] for hop in browser.history]
        assert f"{tool_url}/lti/login" in hops
        assert f"{tool_url}/demo/auth" in hops
        assert f"{tool_url}/lti/launch" in hops


def test_demo_deep_linking_round_trip(live_tool) -> None:
    _, tool_url = live_tool
    with Browser() as browser:
        browser.open(f"{tool_url}/demo/")
        picker = browser.post(
            f"{tool_url}/demo/launch", {"persona": "lead", "message": "deep-link"}
        )
        assert "Which framework suits the staff in this course?" in picker.text
        reference = re.search(r'name="lr" value="([^"]+)"', picker.text).group(1)
        returned = browser.post(
            f"{tool_url}/lti/deep-link", {"lr": reference, "framework": "college"}
        )
    assert returned.status_code == 200
    assert "The tool sent back an activity" in returned.text


def test_landing_page_links_to_the_demo(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'href="/demo/"' in page
    assert "/lti/register" in page


def test_demo_refuses_network_hosts(client) -> None:
    response = client.get("/demo/", headers={"Host": "tool.example.org"})
    assert response.status_code == 403
    assert "only works on this computer" in response.get_data(as_text=True)
    remote = client.get("/demo/", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert remote.status_code == 403


def test_demo_is_off_unless_enabled(make_app) -> None:
    app = make_app(demo_enabled=False)
    assert app.test_client().get("/demo/").status_code == 404
    assert 'href="/demo/"' not in app.test_client().get("/").get_data(as_text=True)


def test_demo_rejects_a_bad_authentication_request(live_tool) -> None:
    _, tool_url = live_tool
    with Browser() as browser:
        browser.open(f"{tool_url}/demo/")
        page = browser.open(f"{tool_url}/demo/auth?client_id=x&redirect_uri=http://evil/")
    assert page.status_code == 400


def test_demo_ignores_a_forged_forwarded_for(client) -> None:
    forged = client.get(
        "/demo/",
        environ_base={"REMOTE_ADDR": "192.0.2.10"},
        headers={"X-Forwarded-For": "127.0.0.1"},
    )
    assert forged.status_code == 403
