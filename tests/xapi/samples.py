"""Sample builder inputs and statements: one of every kind the tool emits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from xapi import statements
from xapi.inputs import (
    NOT_APPLICABLE,
    PRIOR_QUALIFICATION,
    CompetencyRef,
    Disclosure,
    FrameworkRef,
    Organisation,
    Person,
    ScaleLevel,
    TrainingRef,
)
from xapi.models import Statement

ISSUER = "https://moodle.example.org"
STAFF = Person(ISSUER, "42", name="Ann Example", email="ann.example@school.example.org")
LEAD = Person(ISSUER, "7", name="Lee Lead", email="lee.lead@school.example.org")
FRAMEWORK = FrameworkRef(
    "https://semh-lti.org/frameworks/primary",
    "SEMH competency framework — primary",
    "1.0.0",
    "primary",
)
COMPETENCIES = tuple(
    CompetencyRef(
        f"https://semh-lti.org/frameworks/primary/competencies/pri-not-{n:02d}",
        f"I can notice changes in a child's mood or behaviour ({n}).",
    )
    for n in range(1, 11)
)
SCALE = (
    ScaleLevel("not-yet", "Not yet"),
    ScaleLevel("some-awareness", "Some awareness"),
    ScaleLevel("confident", "Confident"),
    ScaleLevel("could-support-others", "Confident and could support others"),
    ScaleLevel(NOT_APPLICABLE, "Not applicable to my role"),
    ScaleLevel(PRIOR_QUALIFICATION, "Met through a prior qualification"),
)
ORGANISATION = Organisation("urn:semh-lti:org:sandwell-primary-1", "Sandwell Primary")
COURSE = TrainingRef(
    "https://moodle.example.org/course/view.php?id=12",
    "Mental health awareness (e-learning)",
    provider="MindEd",
)
WEBINAR = TrainingRef(
    "https://semh-lti.org/xapi/activities/training/papyrus-sp-ot",
    "Suicide prevention overview (SP-OT)",
    provider="Papyrus",
    live=True,
)
NO_DISCLOSURE = Disclosure()
WHEN = datetime(2026, 11, 22, 10, 30, 15, 250_000, tzinfo=UTC)


def rating(
    registration: UUID,
    index: int = 0,
    *,
    level: ScaleLevel = SCALE[2],
    note: str | None = None,
    disclosure: Disclosure = NO_DISCLOSURE,
    when: datetime = WHEN,
) -> Statement:
    """A distinct rating for each ``index`` (competency cycles, revision grows)."""
    return statements.competency_rated(
        actor=STAFF,
        timestamp=when,
        registration=registration,
        competency=COMPETENCIES[index % len(COMPETENCIES)],
        revision=index // len(COMPETENCIES) + 1,
        level=level,
        scale=SCALE,
        framework=FRAMEWORK,
        group="enhanced",
        organisation=ORGANISATION,
        evidence_note=note,
        disclosure=disclosure,
    )


def ratings(count: int, registration: UUID | None = None, *, start: int = 0) -> list[Statement]:
    """``count`` distinct ratings sharing one registration (a fresh one by default).

    ``start`` skips the first indexes, e.g. those :func:`every_kind` uses.
    """
    registration = registration or uuid4()
    return [
        rating(registration, index, when=WHEN + timedelta(seconds=index))
        for index in range(start, start + count)
    ]


def every_kind(registration: UUID | None = None) -> dict[str, Statement]:
    """One statement of every kind and variant the tool emits, keyed by a readable name."""
    registration = registration or uuid4()
    key = str(registration)
    opt_in = Disclosure(names=True, emails=True, evidence_notes=True)
    return {
        "launched": statements.tool_launched(
            actor=STAFF,
            timestamp=WHEN,
            launch_id=f"launch-{key}",
            framework=FRAMEWORK,
            group="enhanced",
            organisation=ORGANISATION,
        ),
        "launched-minimal": statements.tool_launched(
            actor=STAFF, timestamp=WHEN, launch_id=f"launch-min-{key}"
        ),
        "rated": rating(registration, 0),
        "rated-not-applicable": rating(registration, 1, level=SCALE[4]),
        "rated-prior-qualification": rating(
            registration, 2, level=SCALE[5], note="Registered mental health nurse (RMN), 2015"
        ),
        "rated-with-note-opted-in": rating(
            registration, 3, level=SCALE[5], disclosure=opt_in, note="RMN, 2015"
        ),
        "self-assessment-completed": statements.self_assessment_completed(
            actor=STAFF,
            timestamp=WHEN + timedelta(minutes=20),
            registration=registration,
            framework=FRAMEWORK,
            duration=timedelta(minutes=19, seconds=42.5),
            group="enhanced",
            organisation=ORGANISATION,
        ),
        "training-completed": statements.training_completed(
            actor=STAFF,
            timestamp=WHEN,
            record_id=f"completion-{key}",
            training=COURSE,
            valid_until=date(2028, 11, 22),
            framework=FRAMEWORK,
            competencies=COMPETENCIES[:2],
            group="enhanced",
            organisation=ORGANISATION,
        ),
        "training-attended": statements.training_completed(
            actor=STAFF,
            timestamp=WHEN,
            record_id=f"attended-{key}",
            training=WEBINAR,
            valid_until=datetime(2027, 11, 22, tzinfo=UTC),
        ),
        "training-assigned": statements.training_assigned(
            actor=STAFF,
            timestamp=WHEN,
            assignment_id=f"assignment-{key}",
            training=COURSE,
            assigned_by=LEAD,
            due=date(2027, 1, 31),
            framework=FRAMEWORK,
            competencies=COMPETENCIES[:1],
            group="enhanced",
            organisation=ORGANISATION,
        ),
        "training-assigned-opted-in": statements.training_assigned(
            actor=STAFF,
            timestamp=WHEN,
            assignment_id=f"assignment-named-{key}",
            training=WEBINAR,
            assigned_by=LEAD,
            disclosure=opt_in,
        ),
    }
