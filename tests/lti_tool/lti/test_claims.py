"""Real Moodle 4.5 launch claims become the app's plain LaunchContext."""

import pytest

from lti_tool.errors import MissingClaimsError, UnsupportedMessageError
from lti_tool.launch import Audience
from lti_tool.lti.claims import launch_context
from tests.support.moodle import launch_claims


def _claims(name: str) -> dict:
    return launch_claims(name)


def test_moodle_student_launch() -> None:
    ctx = launch_context("launch-1", _claims("student_resource_link_launch.json"))
    assert ctx.kind == "resource"
    assert ctx.issuer == "http://127.0.0.1:8080"
    assert ctx.client_id == "zHIy4GXYlvdmKOF"
    assert ctx.deployment_id == "1"
    assert ctx.person.subject == "4"
    assert ctx.person.display_name == "Sam Student"
    assert ctx.context is not None
    assert ctx.context.types == ("CourseSection",)
    assert ctx.context.title == "LTI Test Course"
    assert ctx.resource_link_id == "1"
    assert ctx.audience is Audience.STAFF
    assert ctx.services.lineitem is not None and ctx.services.lineitem.endswith("?type_id=1")
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in ctx.services.ags_scopes
    assert ctx.services.memberships is not None
    assert ctx.custom["course_idnumber"] == "COURSE-LTI101"
    assert ctx.return_url is not None


def test_moodle_deep_linking_request() -> None:
    ctx = launch_context("launch-2", _claims("teacher_deep_linking_request.json"))
    assert ctx.kind == "deep-link"
    assert ctx.audience is Audience.TRAINING_LEAD
    assert ctx.services.lineitem is None  # Moodle sends no lineitem claim here


def test_full_uri_context_type_is_shortened() -> None:
    claims = _claims("student_resource_link_launch.json")
    claims["https://purl.imsglobal.org/spec/lti/claim/context"]["type"] = [
        "http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection"
    ]
    ctx = launch_context("l", claims)
    assert ctx.context is not None and ctx.context.types == ("CourseSection",)


def test_unknown_message_type_is_refused() -> None:
    claims = _claims("student_resource_link_launch.json")
    claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiSubmissionReviewRequest"
    with pytest.raises(UnsupportedMessageError):
        launch_context("l", claims)


def test_missing_subject_is_refused() -> None:
    claims = _claims("student_resource_link_launch.json")
    del claims["sub"]
    with pytest.raises(MissingClaimsError):
        launch_context("l", claims)
