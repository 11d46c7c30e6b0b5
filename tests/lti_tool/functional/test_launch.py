"""Resource-link launches from an independent platform, as each audience, in Moodle's shapes."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest
import sqlalchemy as sa

from lti_tool.extensions import db
from lti_tool.models import Context, Deployment, Membership, Person, ResourceLink
from tests.support.platform import (
    ADMIN_ROLES,
    ADMIN_USER,
    LTI101,
    SAM_STUDENT,
    STUDENT_ROLES,
    TEACHER_ROLES,
    TERRY_TEACHER,
)

from .conftest import Setup

pytestmark = pytest.mark.functional


@pytest.mark.parametrize(
    ("user", "roles", "audience", "label"),
    [
        (SAM_STUDENT, STUDENT_ROLES, "staff", "staff member"),
        (TERRY_TEACHER, TEACHER_ROLES, "training_lead", "training lead"),
        (ADMIN_USER, ADMIN_ROLES, "ld_admin", "learning and development administrator"),
    ],
)
def test_resource_launch_as_each_audience(setup: Setup, user, roles, audience, label) -> None:
    page = setup.open(setup.launch_url(user=user, roles=roles, context=LTI101))
    assert page.status_code == 200
    text = page.text
    if audience == "staff":  # no framework set for the course yet: the person chooses one
        assert "Which framework fits where you work?" in text
    else:
        assert f"Welcome, {user.name}" in text
        assert f"You are here as a <strong>{label}</strong>" in text
        assert "LTI Test Course" in text
    with setup.app.app_context():
        person = db.session.scalars(sa.select(Person)).one()
        assert (person.subject, person.name, person.email) == (user.sub, user.name, user.email)
        context = db.session.scalars(sa.select(Context)).one()
        assert (context.context_id, context.types) == (LTI101.id, ["CourseSection"])
        assert context.nrps_url and "/memberships" in context.nrps_url
        link = db.session.scalars(sa.select(ResourceLink)).one()
        assert link.ags_lineitem_url and "?type_id=" in link.ags_lineitem_url
        assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in link.ags_scopes
        membership = db.session.scalars(sa.select(Membership)).one()
        assert membership.audience == audience
        deployment = db.session.scalars(sa.select(Deployment)).one()
        assert deployment.last_launch_at is not None


def test_moodle_shapes_are_accepted(setup: Setup) -> None:
    """GET login, JSON lti_message_hint, short role names, CourseSection, custom parameters."""
    hint = json.dumps({"cmid": 1, "launchid": "ltilaunch1_1851702002"})
    url = setup.launch_url(
        user=TERRY_TEACHER,
        roles=["Instructor"],
        context=LTI101,
        login_method="GET",
        lti_message_hint=hint,
        custom={"framework": "primary"},
    )
    page = setup.open(url)
    assert page.status_code == 200
    assert "training lead" in page.text
    assert setup.platform.last_launch is not None
    with setup.app.app_context():
        link = db.session.scalars(sa.select(ResourceLink)).one()
        assert link.custom["framework"] == "primary"
        assert "context_memberships_url" in link.custom


def test_repeat_launches_update_rather_than_duplicate(setup: Setup) -> None:
    for _ in range(3):
        assert (
            setup.open(setup.launch_url(user=SAM_STUDENT, roles=STUDENT_ROLES)).status_code == 200
        )
    assert setup.domain_rows() == {
        "people": 1,
        "contexts": 1,
        "resource_links": 1,
        "memberships": 1,
    }


def test_pages_after_launch_need_no_cookie(setup: Setup) -> None:
    page = setup.open(setup.launch_url(user=SAM_STUDENT, roles=STUDENT_ROLES))
    home_url = str(page.url)
    assert "lr=" in home_url
    with httpx.Client() as cookieless:
        again = cookieless.get(home_url)
    assert again.status_code == 200
    assert "Which framework fits where you work?" in again.text


def test_launch_reference_tampering_is_refused(setup: Setup) -> None:
    page = setup.open(setup.launch_url(user=SAM_STUDENT, roles=STUDENT_ROLES))
    tampered = str(page.url)[:-3] + "abc"
    response = httpx.get(tampered)
    assert response.status_code == 401
    assert "link has expired or is not valid" in response.text


def test_launch_reference_expires(setup: Setup, make_app) -> None:
    page = setup.open(setup.launch_url(user=SAM_STUDENT, roles=STUDENT_ROLES))
    reference = str(page.url).split("lr=")[1]
    short_lived = make_app(launch_ref_max_age=1)
    time.sleep(2)
    response = short_lived.test_client().get(f"/home?lr={reference}")
    assert response.status_code == 401


def test_training_leads_can_assess_themselves_too(setup: Setup) -> None:
    home = setup.open(
        setup.launch_url(user=TERRY_TEACHER, roles=TEACHER_ROLES, custom={"framework": "secondary"})
    )
    link = re.search(r'href="([^"]*/staff/[^"]*)"[^>]*>Assess yourself', home.text)
    assert link, home.text
    page = setup.browser.get(f"{setup.tool_url}{link.group(1).replace('&amp;', '&')}")
    assert "What do you do?" in page.text
    assert "SEMH competency framework — secondary" in page.text
