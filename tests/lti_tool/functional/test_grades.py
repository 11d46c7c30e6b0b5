"""Completion scores reach the platform's gradebook through AGS, whatever the platform does."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from frameworks import get_framework
from lti_tool.extensions import db
from lti_tool.lti.grades import LINEITEM_TAG, GradeDeliverer
from lti_tool.models import ScoreSubmission, utcnow
from tests.support.platform import LTI101, SAM_STUDENT, STUDENT_ROLES

from .conftest import Setup

pytestmark = pytest.mark.functional
CORE = get_framework("primary").competencies_for("core")


def _complete_core(setup: Setup, **launch: object) -> str:
    page = setup.open(
        setup.launch_url(
            user=SAM_STUDENT,
            roles=STUDENT_ROLES,
            context=LTI101,
            custom={"framework": "primary"},
            **launch,
        )
    )
    lr = re.search(r'name="lr" value="([^"]+)"', page.text).group(1)
    setup.browser.post(f"{setup.tool_url}/staff/group", {"lr": lr, "role": "caretaker"})
    return _finish_cycle(setup, lr)


def _finish_cycle(setup: Setup, lr: str) -> str:
    for competency in CORE:
        setup.browser.client.post(
            f"{setup.tool_url}/staff/api/rating",
            data={"lr": lr, "competency": competency.id, "rating": "confident"},
        )
    setup.browser.post(f"{setup.tool_url}/staff/assessment/finish", {"lr": lr})
    return lr


def _wait_for_scores(setup: Setup, count: int) -> None:
    deadline = time.monotonic() + 15
    while len(setup.platform.scores) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(setup.platform.scores) >= count, setup.platform.service_errors


def _deliver_now(setup: Setup) -> None:
    with setup.app.app_context():
        for row in db.session.scalars(sa.select(ScoreSubmission)):
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        GradeDeliverer().deliver_due(db.session)


def _submissions(setup: Setup) -> list[ScoreSubmission]:
    with setup.app.app_context():
        rows = list(db.session.scalars(sa.select(ScoreSubmission).order_by(ScoreSubmission.id)))
        db.session.expunge_all()
        return rows


def test_score_is_retried_after_the_platform_was_down(setup: Setup) -> None:
    setup.platform.set_services_down(True)
    _complete_core(setup)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not _submissions(setup)[0].attempts:
        time.sleep(0.1)
    (pending,) = _submissions(setup)
    assert pending.status == "pending" and pending.attempts >= 1
    assert "503" in pending.last_error
    assert not setup.platform.scores
    setup.platform.set_services_down(False)
    _deliver_now(setup)
    (delivered,) = _submissions(setup)
    assert delivered.status == "delivered"
    (score,) = setup.platform.scores
    assert score.body["gradingProgress"] == "FullyGraded"


def test_missing_lineitem_claim_finds_or_creates_a_column_by_tag(setup: Setup) -> None:
    _complete_core(setup, ags_lineitem=False)
    _wait_for_scores(setup, 1)
    column = setup.platform.find_lineitem(tag=LINEITEM_TAG)
    assert column is not None
    assert (
        setup.platform.scores[0]
        .lineitem_url.split("?")[0]
        .rstrip("/")
        .endswith(str(column["id"]).split("?")[0].rstrip("/"))
    )


def test_repeat_completions_have_strictly_increasing_timestamps(setup: Setup) -> None:
    setup.platform.reject_stale_scores = True  # as Moodle: a score not newer is refused (409)
    lr = _complete_core(setup)
    setup.browser.post(f"{setup.tool_url}/staff/cycles/new", {"lr": lr, "label": "Again"})
    _finish_cycle(setup, lr)
    _wait_for_scores(setup, 2)
    first, second = _submissions(setup)
    assert second.timestamp > first.timestamp
    assert [s.status for s in setup.platform.scores] == [200, 200]
