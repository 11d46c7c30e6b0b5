"""Statement builders: the profile's shape, privacy rules, ids, and Ralph's models as oracle."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.xapi import samples, strategies
from tests.xapi.oracle import ralph_validate
from xapi import statements
from xapi.inputs import CompetencyRef, Disclosure, Person, RatedAnswer, ScaleLevel
from xapi.models import Statement
from xapi.vocabulary import (
    PROFILE_IRI,
    VALID_UNTIL,
    ActivityTypes,
    Extension,
    Verbs,
    Vocabulary,
)

V = Vocabulary()
ALL_KINDS = list(samples.every_kind())


def _json(statement: Statement) -> dict:
    return json.loads(statement.to_json_bytes())


def _ext(name: Extension) -> str:
    return V.extension(name)


def _grouping(data: dict) -> dict[str, str]:
    return {
        item["id"]: item["definition"]["type"]
        for item in data["context"]["contextActivities"].get("grouping", [])
    }


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_statement_kind_passes_ralphs_models(kind: str) -> None:
    ralph_validate(samples.every_kind()[kind].to_json_bytes())


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_statement_kind_leaves_version_stored_and_authority_to_the_lrs(kind: str) -> None:
    data = _json(samples.every_kind()[kind])
    assert not {"version", "stored", "authority"} & set(data)
    assert data["timestamp"].endswith("Z")
    assert data["context"]["contextActivities"]["category"][0]["id"] == PROFILE_IRI


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_statement_kind_never_carries_a_score(kind: str) -> None:
    assert "score" not in _json(samples.every_kind()[kind]).get("result", {})


def test_rating_is_a_likert_answer_with_the_level_as_response_and_extensions() -> None:
    registration = uuid4()
    data = _json(samples.rating(registration, 0))
    assert data["verb"] == {"id": Verbs.ANSWERED.iri, "display": {"en-US": "answered"}}
    definition = data["object"]["definition"]
    assert definition["type"] == ActivityTypes.QUESTION.iri
    assert definition["interactionType"] == "likert"
    assert [item["id"] for item in definition["scale"]] == [level.id for level in samples.SCALE]
    assert data["object"]["id"] == V.self_rating_iri(samples.COMPETENCIES[0].iri)
    assert data["result"] == {
        "response": "confident",
        "extensions": {
            _ext(Extension.LEVEL_ID): "confident",
            _ext(Extension.LEVEL_LABEL): "Confident",
        },
    }


def test_rating_names_the_competency_in_grouping_with_its_own_iri() -> None:
    data = _json(samples.rating(uuid4(), 0))
    assert _grouping(data) == {
        samples.FRAMEWORK.iri: ActivityTypes.COMPETENCY_FRAMEWORK.iri,
        samples.COMPETENCIES[0].iri: "https://w3id.org/xapi/tla/activity-types/competency",
    }
    parent = data["context"]["contextActivities"]["parent"]
    assert [item["id"] for item in parent] == [V.self_assessment_iri(samples.FRAMEWORK.iri)]


def test_rating_context_carries_version_phase_group_and_organisation() -> None:
    registration = uuid4()
    context = _json(samples.rating(registration, 0))["context"]
    assert context["registration"] == str(registration)
    assert context["extensions"] == {
        _ext(Extension.FRAMEWORK_VERSION): "1.0.0",
        _ext(Extension.PHASE): "primary",
        _ext(Extension.COMPETENCY_GROUP): "enhanced",
        _ext(Extension.ORGANISATION): {
            "id": samples.ORGANISATION.id,
            "name": samples.ORGANISATION.name,
        },
    }


@pytest.mark.parametrize(
    ("kind", "response"),
    [
        ("rated-not-applicable", "not-applicable"),
        ("rated-prior-qualification", "prior-qualification"),
    ],
)
def test_not_applicable_and_prior_qualification_are_ratings(kind: str, response: str) -> None:
    data = _json(samples.every_kind()[kind])
    assert data["verb"]["id"] == Verbs.ANSWERED.iri
    assert data["result"]["response"] == response
    assert data["result"]["extensions"][_ext(Extension.LEVEL_ID)] == response


def test_evidence_note_is_not_sent_unless_the_deployment_opts_in() -> None:
    kinds = samples.every_kind()
    assert b"RMN" not in kinds["rated-prior-qualification"].to_json_bytes()
    assert (
        b"Registered mental health nurse" not in kinds["rated-prior-qualification"].to_json_bytes()
    )
    opted_in = _json(kinds["rated-with-note-opted-in"])
    assert opted_in["result"]["extensions"][_ext(Extension.EVIDENCE_NOTE)] == "RMN, 2015"


def test_rating_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="not on the scale"):
        samples.rating(uuid4(), 0, level=ScaleLevel("expert", "Expert"))


def test_self_assessment_completed_shares_the_registration_of_its_ratings() -> None:
    kinds = samples.every_kind()
    completed = _json(kinds["self-assessment-completed"])
    assert completed["context"]["registration"] == _json(kinds["rated"])["context"]["registration"]
    assert completed["verb"]["id"] == Verbs.COMPLETED.iri
    assert completed["object"]["id"] == V.self_assessment_iri(samples.FRAMEWORK.iri)
    assert completed["object"]["definition"]["type"] == ActivityTypes.ASSESSMENT.iri
    assert completed["result"] == {"completion": True, "duration": "PT19M42.5S"}
    assert samples.FRAMEWORK.iri in _grouping(completed)


def test_training_completed_is_a_course_with_provider_and_expiry() -> None:
    data = _json(samples.every_kind()["training-completed"])
    assert data["verb"]["id"] == Verbs.COMPLETED.iri
    assert data["object"]["id"] == samples.COURSE.iri
    assert data["object"]["definition"]["type"] == ActivityTypes.COURSE.iri
    assert data["object"]["definition"]["extensions"] == {
        _ext(Extension.TRAINING_PROVIDER): "MindEd"
    }
    assert data["result"] == {"completion": True, "extensions": {VALID_UNTIL.iri: "2028-11-22"}}
    assert set(_grouping(data)) == {
        samples.FRAMEWORK.iri,
        *(c.iri for c in samples.COMPETENCIES[:2]),
    }


def test_live_training_is_attended_as_a_meeting() -> None:
    data = _json(samples.every_kind()["training-attended"])
    assert data["verb"] == {"id": Verbs.ATTENDED.iri, "display": {"en-US": "attended"}}
    assert data["object"]["definition"]["type"] == ActivityTypes.MEETING.iri
    assert data["result"]["extensions"] == {VALID_UNTIL.iri: "2027-11-22T00:00:00.000Z"}


def test_training_assigned_has_the_staff_member_as_actor_and_the_lead_in_extensions() -> None:
    data = _json(samples.every_kind()["training-assigned"])
    assert data["verb"]["id"] == Verbs.REGISTERED.iri
    assert data["actor"]["account"] == {"homePage": samples.ISSUER, "name": samples.STAFF.sub}
    extensions = data["context"]["extensions"]
    assert extensions[_ext(Extension.ASSIGNED_BY)] == {
        "objectType": "Agent",
        "account": {"homePage": samples.ISSUER, "name": samples.LEAD.sub},
    }
    assert extensions[_ext(Extension.DUE_DATE)] == "2027-01-31"


@pytest.mark.parametrize("kind", [kind for kind in ALL_KINDS if not kind.endswith("opted-in")])
def test_actors_are_platform_accounts_without_name_or_email_by_default(kind: str) -> None:
    data = _json(samples.every_kind()[kind])
    assert data["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": samples.ISSUER, "name": "42"},
    }
    assert b"Ann" not in samples.every_kind()[kind].to_json_bytes()
    assert b"school.example.org" not in samples.every_kind()[kind].to_json_bytes()


def test_opting_in_sends_names_and_identifies_by_email() -> None:
    data = _json(samples.every_kind()["training-assigned-opted-in"])
    assert data["actor"] == {
        "objectType": "Agent",
        "name": "Ann Example",
        "mbox": "mailto:ann.example@school.example.org",
    }
    assigned_by = data["context"]["extensions"][_ext(Extension.ASSIGNED_BY)]
    assert assigned_by["name"] == "Lee Lead"


def test_a_malformed_email_falls_back_to_the_account() -> None:
    person = Person(samples.ISSUER, "42", email="not an address")
    statement = statements.tool_launched(
        actor=person, timestamp=samples.WHEN, launch_id="m", disclosure=Disclosure(emails=True)
    )
    assert statement.actor.mbox is None
    assert statement.actor.account is not None and statement.actor.account.name == "42"


def test_statement_ids_are_stable_for_a_retried_event_and_distinct_otherwise() -> None:
    registration = uuid4()
    first = samples.rating(registration, 0)
    again = samples.rating(registration, 0, when=samples.WHEN + timedelta(hours=1))
    assert first.id == again.id
    assert samples.rating(registration, 0).to_json_bytes() == first.to_json_bytes()
    next_revision = samples.rating(registration, len(samples.COMPETENCIES))
    other_competency = samples.rating(registration, 1)
    assert (
        len({first.id, next_revision.id, other_competency.id, samples.rating(uuid4(), 0).id}) == 4
    )


def test_same_key_for_different_events_gives_different_ids() -> None:
    key = "shared-key"
    launched = statements.tool_launched(actor=samples.STAFF, timestamp=samples.WHEN, launch_id=key)
    completed = statements.training_completed(
        actor=samples.STAFF, timestamp=samples.WHEN, record_id=key, training=samples.COURSE
    )
    assert launched.id != completed.id


@pytest.mark.parametrize(
    "timestamp",
    [
        datetime(2026, 1, 1, 12, 0),  # noqa: DTZ001 - the naive value under test
        datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_builders_refuse_naive_or_non_utc_timestamps(timestamp: datetime) -> None:
    with pytest.raises(ValueError, match="timestamp"):
        statements.tool_launched(actor=samples.STAFF, timestamp=timestamp, launch_id="x")


def test_builders_refuse_a_competency_id_that_is_not_an_iri() -> None:
    with pytest.raises(ValueError, match="IRI"):
        statements.competency_rated(
            actor=samples.STAFF,
            timestamp=samples.WHEN,
            registration=uuid4(),
            competency=CompetencyRef("pri-not-01", "I can notice."),
            revision=1,
            level=samples.SCALE[0],
            scale=samples.SCALE,
            framework=samples.FRAMEWORK,
        )


def test_timestamps_are_kept_to_whole_milliseconds() -> None:
    when = datetime(2026, 1, 1, 12, 0, 0, 123_987, tzinfo=UTC)
    data = _json(statements.tool_launched(actor=samples.STAFF, timestamp=when, launch_id="ms"))
    assert data["timestamp"] == "2026-01-01T12:00:00.123Z"


def test_custom_vocabulary_moves_every_tool_owned_iri() -> None:
    own = Vocabulary(
        extension_base="https://lrs.council.example/ext/",
        activity_base="https://lrs.council.example/act/",
    )
    statement = statements.competency_rated(
        actor=samples.STAFF,
        timestamp=samples.WHEN,
        registration=uuid4(),
        competency=samples.COMPETENCIES[0],
        revision=1,
        level=samples.SCALE[0],
        scale=samples.SCALE,
        framework=samples.FRAMEWORK,
        vocabulary=own,
    )
    text = statement.to_json_bytes().decode()
    assert "https://lrs.council.example/ext/level-id" in text
    assert statement.object.id.startswith("https://lrs.council.example/act/self-rating?")
    assert "semh-lti.org/xapi/extensions" not in text


# --- Property tests: any plausible input gives a statement Ralph accepts ---------------------


@settings(max_examples=60, deadline=None)
@given(
    actor=strategies.people,
    when=strategies.timestamps,
    launch_id=strategies.text,
    framework=st.none() | strategies.frameworks,
    group=strategies.groups,
    organisation=strategies.organisations,
    disclosure=strategies.disclosures,
)
def test_any_launch_passes_ralph(
    actor, when, launch_id, framework, group, organisation, disclosure
) -> None:
    _check(
        statements.tool_launched(
            actor=actor,
            timestamp=when,
            launch_id=launch_id,
            framework=framework,
            group=group,
            organisation=organisation,
            disclosure=disclosure,
        )
    )


@settings(max_examples=60, deadline=None)
@given(
    actor=strategies.people,
    when=strategies.timestamps,
    competency=strategies.competencies,
    revision=st.integers(1, 50),
    scale=strategies.scales(),
    data=st.data(),
    framework=strategies.frameworks,
    group=strategies.groups,
    organisation=strategies.organisations,
    note=st.none() | strategies.text,
    disclosure=strategies.disclosures,
)
def test_any_rating_passes_ralph(
    actor, when, competency, revision, scale, data, framework, group, organisation, note, disclosure
) -> None:
    level = data.draw(st.sampled_from(scale))
    statement = statements.competency_rated(
        actor=actor,
        timestamp=when,
        registration=uuid4(),
        competency=competency,
        revision=revision,
        level=level,
        scale=scale,
        framework=framework,
        group=group,
        organisation=organisation,
        evidence_note=note,
        disclosure=disclosure,
    )
    _check(statement)
    assert statement.result is not None and statement.result.response == level.id
    if note and not disclosure.evidence_notes:
        assert _ext(Extension.EVIDENCE_NOTE) not in statement.to_json_bytes().decode()


@settings(max_examples=60, deadline=None)
@given(
    actor=strategies.people,
    when=strategies.timestamps,
    framework=strategies.frameworks,
    duration=strategies.durations,
    revision=st.integers(1, 5),
    group=strategies.groups,
    organisation=strategies.organisations,
    disclosure=strategies.disclosures,
)
def test_any_completion_passes_ralph(
    actor, when, framework, duration, revision, group, organisation, disclosure
) -> None:
    statement = statements.self_assessment_completed(
        actor=actor,
        timestamp=when,
        registration=uuid4(),
        framework=framework,
        duration=duration,
        revision=revision,
        group=group,
        organisation=organisation,
        disclosure=disclosure,
    )
    parsed = _check(statement)
    # Ralph reads the ISO 8601 duration back to within the 0.01 s we keep.
    assert abs(parsed.result.duration - duration) < timedelta(milliseconds=10)


@settings(max_examples=60, deadline=None)
@given(
    actor=strategies.people,
    when=strategies.timestamps,
    record_id=strategies.text,
    training=strategies.trainings,
    valid_until=st.none() | strategies.timestamps | st.dates(),
    framework=st.none() | strategies.frameworks,
    competencies=st.lists(strategies.competencies, max_size=3, unique_by=lambda c: c.iri),
    organisation=strategies.organisations,
    disclosure=strategies.disclosures,
)
def test_any_training_completion_passes_ralph(
    actor, when, record_id, training, valid_until, framework, competencies, organisation, disclosure
) -> None:
    _check(
        statements.training_completed(
            actor=actor,
            timestamp=when,
            record_id=record_id,
            training=training,
            valid_until=valid_until,
            framework=framework,
            competencies=competencies,
            organisation=organisation,
            disclosure=disclosure,
        )
    )


@settings(max_examples=60, deadline=None)
@given(
    actor=strategies.people,
    lead=strategies.people,
    when=strategies.timestamps,
    assignment_id=strategies.text,
    training=strategies.trainings,
    due=st.none() | st.dates(),
    framework=st.none() | strategies.frameworks,
    organisation=strategies.organisations,
    disclosure=strategies.disclosures,
)
def test_any_assignment_passes_ralph(
    actor, lead, when, assignment_id, training, due, framework, organisation, disclosure
) -> None:
    _check(
        statements.training_assigned(
            actor=actor,
            timestamp=when,
            assignment_id=assignment_id,
            training=training,
            assigned_by=lead,
            due=due,
            framework=framework,
            organisation=organisation,
            disclosure=disclosure,
        )
    )


def _check(statement: Statement):
    payload = statement.to_json_bytes()
    parsed = ralph_validate(payload)
    assert Statement.from_json_bytes(payload).to_json_bytes() == payload
    assert "score" not in json.loads(payload).get("result", {})
    if statement.actor.mbox is None:
        assert statement.actor.account is not None
    return parsed


def test_disclosure_defaults_send_nothing_personal() -> None:
    assert Disclosure() == Disclosure(names=False, emails=False, evidence_notes=False)


def test_a_batch_of_ratings_is_exactly_one_rating_statement_per_answer() -> None:
    registration = uuid4()
    opted_in = Disclosure(names=True, evidence_notes=True)
    answers = [
        RatedAnswer(samples.COMPETENCIES[0], 1, samples.SCALE[0]),
        RatedAnswer(samples.COMPETENCIES[1], 3, samples.SCALE[-1], "Level 3 award"),
        RatedAnswer(samples.COMPETENCIES[2], 2, samples.SCALE[4]),
    ]
    shared = {
        "actor": samples.STAFF,
        "timestamp": samples.WHEN,
        "registration": registration,
        "scale": samples.SCALE,
        "framework": samples.FRAMEWORK,
        "group": "targeted",
        "organisation": samples.ORGANISATION,
        "disclosure": opted_in,
    }
    batch = statements.competency_ratings(answers=answers, **shared)
    one_by_one = [
        statements.competency_rated(
            competency=a.competency,
            revision=a.revision,
            level=a.level,
            evidence_note=a.evidence_note,
            **shared,
        )
        for a in answers
    ]
    assert [s.to_json_bytes() for s in batch] == [s.to_json_bytes() for s in one_by_one]
    assert len({s.id for s in batch}) == 3


def test_a_batch_with_one_level_off_the_scale_is_refused_whole() -> None:
    answers = [
        RatedAnswer(samples.COMPETENCIES[0], 1, samples.SCALE[0]),
        RatedAnswer(samples.COMPETENCIES[1], 1, ScaleLevel("excellent", "Excellent")),
    ]
    with pytest.raises(ValueError, match="not on the scale"):
        statements.competency_ratings(
            actor=samples.STAFF,
            timestamp=samples.WHEN,
            registration=uuid4(),
            answers=answers,
            scale=samples.SCALE,
            framework=samples.FRAMEWORK,
        )
