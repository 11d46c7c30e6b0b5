"""Self-assessment service: scope, saving answers (new, changed, unchanged, invalid), cycles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from frameworks import get_framework
from frameworks.vocab import NOT_APPLICABLE, PRIOR_QUALIFICATION
from lti_tool.errors import ConflictError, InvalidInputError
from lti_tool.extensions import db
from lti_tool.models import AssessmentCycle, Rating
from lti_tool.models.staff import NOTE_MAX
from lti_tool.services import assessment
from tests.lti_tool import factories

FRAMEWORK = get_framework("primary")
LOW, HIGH = FRAMEWORK.scale.level_ids[0], FRAMEWORK.scale.level_ids[-1]


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with app.app_context():
        yield db.session


@pytest.fixture
def cycle(session: Session) -> AssessmentCycle:
    profile = factories.staff_profile(session, group="targeted")
    started = assessment.start_cycle(session, profile, FRAMEWORK, "")
    session.commit()
    return started


def _scope(cycle: AssessmentCycle) -> assessment.Scope:
    return assessment.scope_of_cycle(FRAMEWORK, cycle)


def _stored(session: Session, cycle: AssessmentCycle) -> dict[str, tuple[str, str, str, int]]:
    session.expire_all()
    rows = session.scalars(select(Rating).where(Rating.cycle_id == cycle.id))
    return {r.competency_id: (r.rating, r.evidence_note, r.private_note, r.revision) for r in rows}


def test_scope_is_cumulative_and_grouped_by_domain_in_framework_order() -> None:
    core = assessment.scope_for(FRAMEWORK, "core", False)
    targeted = assessment.scope_for(FRAMEWORK, "targeted", False)
    assert set(core.competency_ids) < set(targeted.competency_ids)
    framework_order = [c.id for d in FRAMEWORK.domains for c in d.competencies]
    assert list(targeted.competency_ids) == [
        cid for cid in framework_order if cid in set(targeted.competency_ids)
    ]
    assert all(comps for _, comps in targeted.domains)
    assert targeted.includes(targeted.competency_ids[0])
    assert not targeted.includes("no-such-competency")


def test_a_page_of_new_answers_is_saved_in_order_with_revision_one(
    session: Session, cycle: AssessmentCycle
) -> None:
    ids = _scope(cycle).competency_ids[:3]
    answers = {cid: (LOW, None, " my note ") for cid in ids}
    saved = assessment.save_ratings(session, cycle, _scope(cycle), answers)
    session.commit()
    assert [s.competency_id for s in saved] == list(ids)
    assert all(s.changed and s.rating_changed and s.revision == 1 for s in saved)
    assert _stored(session, cycle) == {cid: (LOW, "", "my note", 1) for cid in ids}


def test_changing_a_rating_bumps_its_revision_but_a_note_alone_does_not(
    session: Session, cycle: AssessmentCycle
) -> None:
    cid = _scope(cycle).competency_ids[0]
    assessment.save_rating(session, cycle, _scope(cycle), cid, LOW)
    session.commit()
    changed = assessment.save_rating(session, cycle, _scope(cycle), cid, HIGH)
    noted = assessment.save_rating(session, cycle, _scope(cycle), cid, HIGH, private_note="hm")
    same = assessment.save_rating(session, cycle, _scope(cycle), cid, HIGH, private_note="hm")
    session.commit()
    assert (changed.changed, changed.rating_changed, changed.revision) == (True, True, 2)
    assert (noted.changed, noted.rating_changed, noted.revision) == (True, False, 2)
    assert (same.changed, same.rating_changed) == (False, False)
    assert _stored(session, cycle)[cid] == (HIGH, "", "hm", 2)


def test_evidence_is_kept_only_for_a_prior_qualification(
    session: Session, cycle: AssessmentCycle
) -> None:
    first, second = _scope(cycle).competency_ids[:2]
    answers = {
        first: (PRIOR_QUALIFICATION, "Level 3 award, 2024", None),
        second: (NOT_APPLICABLE, "ignored", None),
    }
    assessment.save_ratings(session, cycle, _scope(cycle), answers)
    session.commit()
    stored = _stored(session, cycle)
    assert stored[first][:2] == (PRIOR_QUALIFICATION, "Level 3 award, 2024")
    assert stored[second][:2] == (NOT_APPLICABLE, "")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (("no-such-competency", "x", None, None), "not part of your self-assessment"),
        ((None, "off-the-scale", None, None), "Choose one of the answers"),
        ((None, None, None, "x" * (NOTE_MAX + 1)), f"keep it to {NOTE_MAX} or fewer"),
    ],
)
def test_one_bad_answer_saves_none_of_the_page(
    session: Session,
    cycle: AssessmentCycle,
    answer: tuple[str | None, str | None, str | None, str | None],
    message: str,
) -> None:
    good, other = _scope(cycle).competency_ids[:2]
    assessment.save_rating(session, cycle, _scope(cycle), good, LOW, private_note="kept")
    session.commit()
    bad_id, bad_rating, evidence, note = answer
    answers = {good: (HIGH, None, None), bad_id or other: (bad_rating or LOW, evidence, note)}
    with pytest.raises(InvalidInputError) as caught:
        assessment.save_ratings(session, cycle, _scope(cycle), answers)
    session.rollback()
    assert message in caught.value.context["problem"]
    assert _stored(session, cycle) == {good: (LOW, "", "kept", 1)}


def test_a_completed_cycle_refuses_changes(session: Session, cycle: AssessmentCycle) -> None:
    scope = _scope(cycle)
    every = {cid: (LOW, None, None) for cid in scope.competency_ids}
    assessment.save_ratings(session, cycle, scope, every)
    assessment.complete_cycle(session, cycle, scope, None)
    session.commit()
    with pytest.raises(ConflictError):
        assessment.save_rating(session, cycle, scope, scope.competency_ids[0], HIGH)


def test_finishing_with_unanswered_statements_says_how_many_are_left(
    session: Session, cycle: AssessmentCycle
) -> None:
    scope = _scope(cycle)
    assessment.save_rating(session, cycle, scope, scope.competency_ids[0], LOW)
    with pytest.raises(InvalidInputError) as caught:
        assessment.complete_cycle(session, cycle, scope, None)
    assert f"answered 1 of {len(scope.competency_ids)}" in caught.value.context["problem"]
    assert cycle.completed_at is None


@pytest.mark.parametrize(
    ("theirs", "ours", "changed", "revision"), [(HIGH, LOW, True, 2), (LOW, LOW, False, 1)]
)
def test_a_first_answer_saved_meanwhile_elsewhere_is_overwritten_by_the_later_save(
    session: Session,
    cycle: AssessmentCycle,
    theirs: str,
    ours: str,
    changed: bool,
    revision: int,
) -> None:
    first, second = _scope(cycle).competency_ids[:2]
    with Session(db.engine) as other_tab:  # an autosave that lands after this page was read
        other = other_tab.get(AssessmentCycle, cycle.id)
        assessment.save_rating(other_tab, other, _scope(other), first, theirs)
        other_tab.commit()
    page = {first: (ours, None, "mine"), second: (LOW, None, None)}
    saved = assessment.save_ratings(session, cycle, _scope(cycle), page, known={})
    session.commit()
    assert [(s.competency_id, s.rating_changed, s.revision) for s in saved] == [
        (first, changed, revision),
        (second, True, 1),
    ]
    assert _stored(session, cycle) == {
        first: (ours, "", "mine", revision),
        second: (LOW, "", "", 1),
    }


def test_a_new_cycle_takes_the_profiles_current_group_and_next_number(
    session: Session, cycle: AssessmentCycle
) -> None:
    profile = cycle.profile
    profile.group = "core"
    second = assessment.start_cycle(session, profile, FRAMEWORK, "  After training ")
    assert (second.number, second.label, second.group) == (2, "After training", "core")
    assert second.registration != cycle.registration
    with pytest.raises(InvalidInputError, match="label too long"):
        assessment.start_cycle(session, profile, FRAMEWORK, "x" * 81)
