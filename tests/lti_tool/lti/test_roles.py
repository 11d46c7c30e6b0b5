"""LTI roles in every spelling map to the tool's three audiences."""

import pytest

from lti_tool.launch import Audience
from lti_tool.lti.roles import audience_for, normalise_roles
from tests.support.moodle import launch_claims
from tests.support.moodle import sample as moodle_sample

M = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INST = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
S = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([M + "Learner"], Audience.STAFF),
        (["Learner"], Audience.STAFF),
        ([], Audience.STAFF),
        ([M + "Instructor"], Audience.TRAINING_LEAD),
        (["Instructor"], Audience.TRAINING_LEAD),
        ([M + "ContentDeveloper"], Audience.TRAINING_LEAD),
        ([M + "Mentor"], Audience.TRAINING_LEAD),
        ([M + "TeachingAssistant"], Audience.TRAINING_LEAD),
        (
            ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
            Audience.TRAINING_LEAD,
        ),
        (["urn:lti:role:ims/lis/Instructor"], Audience.TRAINING_LEAD),
        ([INST + "Administrator"], Audience.LD_ADMIN),
        ([S + "Administrator"], Audience.LD_ADMIN),
        (["urn:lti:instrole:ims/lis/Administrator"], Audience.LD_ADMIN),
        ([M + "Instructor", INST + "Administrator"], Audience.LD_ADMIN),
        ([INST + "Learner", M + "Learner"], Audience.STAFF),
        ([INST + "Instructor"], Audience.STAFF),  # an institution role alone grants no course lead
    ],
)
def test_audience_for_roles(roles: list[str], expected: Audience) -> None:
    assert audience_for(roles) is expected


def test_short_and_full_names_normalise_alike() -> None:
    assert normalise_roles(["Instructor", M + "Instructor"]) == (("context", "Instructor"),)


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("student_resource_link_launch.json", Audience.STAFF),
        ("teacher_resource_link_launch.json", Audience.TRAINING_LEAD),
        ("admin_resource_link_launch.json", Audience.LD_ADMIN),
    ],
)
def test_moodle_launch_roles(sample: str, expected: Audience) -> None:
    claims = launch_claims(sample)
    assert audience_for(claims["https://purl.imsglobal.org/spec/lti/claim/roles"]) is expected


def test_nrps_short_roles_from_moodle() -> None:
    answer = moodle_sample("ags_nrps_services_result.json")
    members = answer["nrps"]["body"]["members"]
    audiences = {m["user_id"]: audience_for(m["roles"]) for m in members}
    assert audiences == {"4": Audience.STAFF, "3": Audience.TRAINING_LEAD}
