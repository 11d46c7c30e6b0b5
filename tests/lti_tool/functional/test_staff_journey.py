"""The staff journey over real HTTP from an independent platform: align, assess, results, plan,
completion, new cycle, history — with the statements and the grade it leaves behind."""

from __future__ import annotations

import html
import json
import re
import time

import pytest
import sqlalchemy as sa

from frameworks import get_framework
from lti_tool.extensions import db
from lti_tool.models import (
    AssessmentCycle,
    PlanItem,
    Platform,
    Rating,
    ScoreSubmission,
    StaffProfile,
)
from tests.support.platform import LTI101, SAM_STUDENT, STUDENT_ROLES
from xapi.outbox import OutboxEntry

from .conftest import Setup

pytestmark = pytest.mark.functional

FRAMEWORK = get_framework("primary")


def _lr(page) -> str:
    return re.search(r'name="lr" value="([^"]+)"', page.text).group(1)


def _launch(setup: Setup, framework: str = "primary"):
    return setup.open(
        setup.launch_url(
            user=SAM_STUDENT,
            roles=STUDENT_ROLES,
            context=LTI101,
            custom={"framework": framework},
        )
    )


def _statements(setup: Setup) -> list[dict]:
    with setup.app.app_context():
        return [json.loads(row.payload) for row in db.session.scalars(sa.select(OutboxEntry))]


def _verbs(setup: Setup) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in _statements(setup)]


def _align(setup: Setup, roles: list[str], group: str | None = None):
    page = _launch(setup)
    assert "What do you do?" in page.text
    lr = _lr(page)
    base = setup.tool_url
    suggestion = setup.browser.post(
        f"{base}/staff/roles", [("lr", lr), *[("role", r) for r in roles], ("action", "continue")]
    )
    assert suggestion.status_code == 200, suggestion.text
    fields = [("lr", lr), *[("role", r) for r in roles]]
    if group:
        fields.append(("group", group))
    overview = setup.browser.post(f"{base}/staff/group", fields)
    assert overview.status_code == 200
    return suggestion, overview, lr


def _answer_everything(setup: Setup, lr: str, rating_for) -> None:
    with setup.app.app_context():
        cycle = db.session.scalars(
            sa.select(AssessmentCycle).order_by(AssessmentCycle.id.desc())
        ).first()
        group, send = cycle.group, cycle.send_enabled
    for domain in FRAMEWORK.domains:
        comps = [
            c
            for c in domain.competencies
            if c in FRAMEWORK.competencies_for(group, include_send=send)
        ]
        if not comps:
            continue
        form = [("lr", lr), ("action", "overview")]
        form += [(f"rating-{c.id}", rating_for(c)) for c in comps]
        page = setup.browser.post(f"{setup.tool_url}/staff/assessment/{domain.id}", form)
        assert page.status_code == 200, page.text


def test_role_picker_suggests_the_highest_group_and_says_why(setup: Setup) -> None:
    suggestion, overview, _ = _align(setup, ["lunchtime-supervisor", "teaching-assistant"])
    assert "We suggest the enhanced group" in suggestion.text
    assert "Teaching assistant" in suggestion.text and "highest group" in suggestion.text
    assert "enhanced (includes core)" in overview.text
    with setup.app.app_context():
        profile = db.session.scalars(sa.select(StaffProfile)).one()
        assert (profile.group, profile.suggested_group) == ("enhanced", "enhanced")
        assert profile.roles == ["lunchtime-supervisor", "teaching-assistant"]


def test_role_search_filters_without_javascript(setup: Setup) -> None:
    page = _launch(setup)
    found = setup.browser.get(f"{setup.tool_url}/staff/roles?lr={_lr(page)}&q=dinner")
    assert "roles match “dinner”" in found.text
    shown = re.findall(
        r'<div class="govuk-checkboxes__item" data-role-item[^>]*?(hidden)?>', found.text
    )
    assert shown.count("") >= 1 and "hidden" in shown


def test_plan_says_what_training_helps_with_within_the_persons_own_group(setup: Setup) -> None:
    _, _, lr = _align(setup, ["lunchtime-supervisor"])  # the core group
    core = {c.id for c in FRAMEWORK.competencies_for("core")}
    training = "youngminds-reading"
    mapped = FRAMEWORK.competencies_for_training(training)
    assert {c.id in core for c in mapped} == {True, False}  # maps beyond core too
    plan = setup.browser.post(f"{setup.tool_url}/staff/plan/add", {"lr": lr, "training": training})
    helps_with = html.unescape(plan.text.split("Helps with:", 1)[1].split("</ul>", 1)[0])
    for competency in mapped:
        assert (competency.statement in helps_with) == (competency.id in core)


def test_whole_journey_records_statements_and_a_completion_grade(setup: Setup) -> None:
    _, overview, lr = _align(setup, ["lunchtime-supervisor"])
    assert "against the <strong>core</strong> group" in overview.text
    core = FRAMEWORK.competencies_for("core")
    gaps = {c.id for c in core[::3]}
    _answer_everything(setup, lr, lambda c: "not-yet" if c.id in gaps else "confident")
    finish = setup.browser.get(f"{setup.tool_url}/staff/assessment/finish?lr={lr}")
    assert "Finish my self-assessment" in finish.text
    results = setup.browser.post(f"{setup.tool_url}/staff/assessment/finish", {"lr": lr})
    assert "Your strengths and gaps" in results.text
    assert f"{len(core) - len(gaps)} statements met and {len(gaps)} to work on" in results.text
    # each gap in words, with the answer given and the training mapped to it; then strengths
    answers = html.unescape(
        results.text.split("Your answers by area", 1)[1].split("Training for your gaps", 1)[0]
    )
    answers = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answers))
    for gap in sorted(gaps):
        competency = FRAMEWORK.competency(gap)
        said = f"{competency.statement} You said: Not yet."
        assert said in answers
        after = answers.split(said, 1)[1]
        for training_id in competency.training:
            assert FRAMEWORK.training_item(training_id).title in after.split("You said:", 1)[0]
    for met in (c for c in core if c.id not in gaps):
        assert f"{met.statement} You said: Confident." in answers
    # the training covering most gaps first, shortest among equals
    suggested = re.findall(r'name="training" value="([^"]+)"', results.text)
    closes = {t: sum(1 for g in gaps if t in FRAMEWORK.competency(g).training) for t in suggested}
    assert list(closes.values()) == sorted(closes.values(), reverse=True)
    plan = setup.browser.post(
        f"{setup.tool_url}/staff/plan/add", {"lr": lr, "training": suggested[0]}
    )
    assert "My training plan" in plan.text
    helps_with = html.unescape(plan.text.split("Helps with:", 1)[1].split("</ul>", 1)[0])
    core_ids = {c.id for c in core}
    mapped = FRAMEWORK.competencies_for_training(suggested[0])
    assert all(c.statement in helps_with for c in mapped if c.id in core_ids)
    with setup.app.app_context():
        item = db.session.scalars(sa.select(PlanItem)).one()
    done = setup.browser.post(
        f"{setup.tool_url}/staff/plan/{item.id}/complete",
        {"lr": lr, "day": "1", "month": "9", "year": "2026", "evidence": "cert 12"},
    )
    assert "Completed 1 September 2026" in done.text
    verbs = _verbs(setup)
    assert verbs.count("launched") == 1
    assert verbs.count("answered") == len(core)
    assert verbs.count("completed") == 2  # the self-assessment, then the training
    assert not any("score" in (s.get("result") or {}) for s in _statements(setup))
    with setup.app.app_context():
        score = db.session.scalars(sa.select(ScoreSubmission)).one()
        assert (score.score_given, score.score_maximum) == (1.0, 1.0)
        assert (score.activity_progress, score.grading_progress) == ("Completed", "FullyGraded")
    # the grade arrives at the platform's score endpoint
    for _ in range(100):
        if setup.platform.scores:
            break
        time.sleep(0.1)
    (posted,) = setup.platform.scores
    assert posted.body["scoreGiven"] == 1 and posted.body["activityProgress"] == "Completed"
    assert posted.body["userId"] == SAM_STUDENT.sub
    # a new cycle, then history compares them
    setup.browser.post(f"{setup.tool_url}/staff/cycles/new", {"lr": lr, "label": "Spring 2027"})
    _answer_everything(setup, lr, lambda c: "confident")
    history = setup.browser.get(f"{setup.tool_url}/staff/history?lr={lr}")
    assert "Spring 2027" in history.text and "Up" in history.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "excellent", "Choose one of the answers shown for this statement."),
        ("competency", "pri-nope-99", "That statement is not part of your self-assessment."),
        ("note", "x" * 501, "keep it to 500 or fewer"),
    ],
)
def test_bad_answers_change_nothing(setup: Setup, field: str, value: str, message: str) -> None:
    _, _, lr = _align(setup, ["caretaker"])
    first = FRAMEWORK.competencies_for("core")[0]
    good = {"lr": lr, "competency": first.id, "rating": "confident", "note": "my note"}
    saved = setup.browser.client.post(
        f"{setup.tool_url}/staff/api/rating", data=good, headers={"Accept": "application/json"}
    )
    assert saved.json()["saved"] is True
    bad = setup.browser.client.post(
        f"{setup.tool_url}/staff/api/rating",
        data=good | {field: value},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400
    assert message in bad.json()["message"]
    with setup.app.app_context():
        (rating,) = db.session.scalars(sa.select(Rating))
        assert (rating.rating, rating.private_note, rating.revision) == ("confident", "my note", 1)


def test_double_submit_saves_once(setup: Setup) -> None:
    _, _, lr = _align(setup, ["caretaker"])
    first = FRAMEWORK.competencies_for("core")[0]
    for _ in range(2):
        setup.browser.client.post(
            f"{setup.tool_url}/staff/api/rating",
            data={"lr": lr, "competency": first.id, "rating": "not-yet"},
        )
    assert _verbs(setup).count("answered") == 1


def test_answers_survive_an_expired_reference(setup: Setup) -> None:
    _, _, lr = _align(setup, ["caretaker"])
    first = FRAMEWORK.competencies_for("core")[0]
    setup.browser.client.post(
        f"{setup.tool_url}/staff/api/rating",
        data={"lr": lr, "competency": first.id, "rating": "confident"},
    )
    refused = setup.browser.client.post(
        f"{setup.tool_url}/staff/api/rating",
        data={"lr": lr[:-4] + "AAAA", "competency": first.id, "rating": "not-yet"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 401
    again = _launch(setup)  # a new launch resumes where they stopped
    assert "1 of" in again.text and "statements answered" in again.text
    with setup.app.app_context():
        assert db.session.scalars(sa.select(Rating)).one().rating == "confident"


def test_wellbeing_link_is_on_every_staff_page_and_set_per_deployment(setup: Setup) -> None:
    page = _launch(setup)
    assert 'href="https://www.educationsupport.org.uk/"' in page.text  # the tool-wide default
    runner = setup.app.test_cli_runner()
    with setup.app.app_context():
        platform_id = db.session.scalars(sa.select(Platform)).one().id
    result = runner.invoke(
        args=[
            "platforms",
            "support-url",
            str(platform_id),
            "1",
            "https://wellbeing.example.org/staff",
        ]
    )
    assert result.exit_code == 0, result.output
    _, _, lr = _align(setup, ["caretaker"])
    for path in ("staff/assessment", "staff/results", "staff/plan", "staff/history"):
        shown = setup.browser.get(f"{setup.tool_url}/{path}?lr={lr}")
        assert 'href="https://wellbeing.example.org/staff"' in shown.text, path
    refused = runner.invoke(
        args=["platforms", "support-url", str(platform_id), "99", "https://x.org"]
    )
    assert refused.exit_code == 1
    assert "has no deployment '99'" in refused.output
