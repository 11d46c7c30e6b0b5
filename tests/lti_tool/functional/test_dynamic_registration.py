"""LTI Dynamic Registration against the independent platform, in current and older Moodle shapes."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask, jsonify

from lti_tool.extensions import db
from lti_tool.models import Platform
from tests.support.platform import SAM_STUDENT, STUDENT_ROLES, Browser, TestPlatform
from tests.support.servers import serve

pytestmark = pytest.mark.functional


def _registrations(app: Flask) -> list[Platform]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Platform)))
        for row in rows:
            _ = [d.deployment_id for d in row.deployments]
        return rows


@pytest.mark.parametrize("legacy", [False, True], ids=["moodle-4.5-shape", "older-moodle-shape"])
def test_dynamic_registration_then_launch(platform: TestPlatform, live_tool, legacy: bool) -> None:
    app, tool_url = live_tool
    url = platform.dynamic_registration_url(f"{tool_url}/lti/register", legacy_moodle_shape=legacy)
    with Browser() as browser:
        page = browser.open(url)
        assert page.status_code == 200, page.text
        assert "The tool is registered with" in page.text
        assert "org.imsglobal.lti.close" in browser.get(f"{tool_url}/static/registration.js").text
        (record,) = platform.registrations
        (stored,) = _registrations(app)
        assert stored.issuer == platform.issuer
        assert stored.client_id == record.client_id
        assert [d.deployment_id for d in stored.deployments] == [record.deployment_id]
        assert stored.auth_login_url == platform.auth_login_url
        assert stored.key_set_url == platform.jwks_url
        assert stored.registered_by == "dynamic"
        launched = browser.open(
            platform.launch_url(record.client_id, user=SAM_STUDENT, roles=STUDENT_ROLES)
        )
        assert launched.status_code == 200
        assert "Which framework fits where you work?" in launched.text


def test_registration_tells_moodle_admins_to_activate(platform: TestPlatform, live_tool) -> None:
    _, tool_url = live_tool
    with Browser() as browser:
        page = browser.open(platform.dynamic_registration_url(f"{tool_url}/lti/register"))
    assert page.status_code == 200
    # the test platform calls itself moodle, as Moodle does; its admins must activate the tool
    assert "The tool shows as <strong>pending</strong>" in page.text
    assert "<strong>Activate</strong>" in page.text


def test_registration_with_a_bad_token_is_refused(platform: TestPlatform, live_tool) -> None:
    app, tool_url = live_tool
    url = platform.dynamic_registration_url(f"{tool_url}/lti/register")
    forged = re.sub(r"registration_token=[^&]+", "registration_token=forged", url)
    with Browser() as browser:
        page = browser.open(forged)
    assert page.status_code == 400
    assert "Registration did not complete" in page.text
    assert "refused the registration" in page.text
    assert _registrations(app) == []


def test_configuration_claiming_another_host_is_refused(platform: TestPlatform, live_tool) -> None:
    app, tool_url = live_tool
    impostor = Flask("impostor")

    @impostor.get("/openid-configuration")
    def configuration():  # type: ignore[no-untyped-def]
        return jsonify(
            {
                "issuer": platform.issuer,  # claims to be the real platform
                "authorization_endpoint": "http://127.0.0.3/auth",
                "token_endpoint": "http://127.0.0.3/token",
                "jwks_uri": "http://127.0.0.3/jwks",
                "registration_endpoint": "http://127.0.0.3/register",
            }
        )

    with serve(impostor, host="127.0.0.3") as impostor_url, Browser() as browser:
        page = browser.open(
            f"{tool_url}/lti/register?openid_configuration={impostor_url}/openid-configuration"
            "&registration_token=t"
        )
    assert page.status_code == 400
    assert "must match the host it is served from" in page.text
    assert _registrations(app) == []


def test_registration_without_configuration_is_explained(live_tool) -> None:
    _, tool_url = live_tool
    with Browser() as browser:
        page = browser.open(f"{tool_url}/lti/register")
    assert page.status_code == 400
    assert "did not say where its configuration is" in page.text


def test_registration_can_be_switched_off(platform: TestPlatform, make_app) -> None:
    app = make_app(dynamic_registration_enabled=False)
    response = app.test_client().get("/lti/register?openid_configuration=http://x/y")
    assert response.status_code == 403
    assert "Dynamic registration is switched off" in response.get_data(as_text=True)
