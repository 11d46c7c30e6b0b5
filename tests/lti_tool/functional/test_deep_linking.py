"""Deep linking: a teacher picks a framework; the platform receives a signed, verified item."""

from __future__ import annotations

import re

import pytest

from tests.support.platform import LTI101, SAM_STUDENT, STUDENT_ROLES, TEACHER_ROLES, TERRY_TEACHER

from .conftest import Setup

pytestmark = pytest.mark.functional


def _picker(setup: Setup):
    url = setup.launch_url(
        user=TERRY_TEACHER,
        roles=TEACHER_ROLES,
        context=LTI101,
        message_type="LtiDeepLinkingRequest",
    )
    return setup.open(url)


def test_teacher_adds_a_self_assessment_to_the_course(setup: Setup) -> None:
    picker = _picker(setup)
    assert picker.status_code == 200
    assert "Which framework suits the staff in this course?" in picker.text
    for framework in ("early-years", "primary", "secondary", "college", "multi-agency"):
        assert f'value="{framework}"' in picker.text
    reference = re.search(r'name="lr" value="([^"]+)"', picker.text).group(1)
    returned = setup.browser.post(
        f"{setup.tool_url}/lti/deep-link", {"lr": reference, "framework": "secondary"}
    )
    assert returned.status_code < 400, returned.text
    assert not setup.platform.deep_link_errors, setup.platform.deep_link_errors
    (response,) = setup.platform.deep_link_responses
    assert response.client_id == "semh-client"
    (item,) = response.content_items
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == f"{setup.tool_url}/lti/launch"
    assert item["custom"] == {"framework": "secondary"}
    assert "secondary" in item["title"].lower()


def test_unknown_framework_choice_is_explained(setup: Setup) -> None:
    picker = _picker(setup)
    reference = re.search(r'name="lr" value="([^"]+)"', picker.text).group(1)
    page = setup.browser.post(
        f"{setup.tool_url}/lti/deep-link", {"lr": reference, "framework": "nonsense"}
    )
    assert page.status_code == 400
    assert "Choose one of the frameworks listed." in page.text
    assert not setup.platform.deep_link_responses


def test_resource_launch_cannot_send_a_deep_link_response(setup: Setup) -> None:
    page = setup.open(setup.launch_url(user=SAM_STUDENT, roles=STUDENT_ROLES))
    reference = str(page.url).split("lr=")[1]
    refused = setup.browser.post(
        f"{setup.tool_url}/lti/deep-link", {"lr": reference, "framework": "primary"}
    )
    assert refused.status_code == 400
    assert not setup.platform.deep_link_responses
