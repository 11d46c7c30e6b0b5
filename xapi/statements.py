"""Statement builders: pure functions from plain inputs to :class:`~xapi.models.Statement`.

Every builder takes keyword arguments only, requires a timezone-aware UTC ``timestamp`` (the
time the event happened, set by us, never by the LRS) and derives the statement id from the
event's stable key (see :mod:`xapi.ids`). None of them reads the clock or any global state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from xapi import parts
from xapi.ids import statement_id
from xapi.inputs import (
    CompetencyRef,
    Disclosure,
    FrameworkRef,
    Organisation,
    Person,
    RatedAnswer,
    ScaleLevel,
    TrainingRef,
)
from xapi.models import Result, Statement
from xapi.timeutil import iso_duration, require_utc
from xapi.vocabulary import (
    DEFAULT_VOCABULARY,
    VALID_UNTIL,
    ActivityTypes,
    Extension,
    Verbs,
    Vocabulary,
)

_NO_DISCLOSURE = Disclosure()


def tool_launched(
    *,
    actor: Person,
    timestamp: datetime,
    launch_id: str,
    tool_name: str = "SEMH competency tool",
    framework: FrameworkRef | None = None,
    group: str | None = None,
    organisation: Organisation | None = None,
    disclosure: Disclosure = _NO_DISCLOSURE,
    vocabulary: Vocabulary = DEFAULT_VOCABULARY,
) -> Statement:
    """Build "<person> launched the tool".

    Args:
        actor: Who launched it.
        timestamp: When, timezone-aware UTC.
        launch_id: The launch's unique id (e.g. the ``id_token`` nonce or the launch record's
            id); the statement id key is ``("tool-launched", launch_id)``.
        tool_name: The tool's display name.
        framework: The framework the launch opened, if any.
        group: The competency group the person is aligned to, if known.
        organisation: The setting the launch came from, if known.
        disclosure: Personal data the deployment opted in to send.
        vocabulary: The deployment's tool-owned IRIs.

    Returns:
        The statement.

    Raises:
        ValueError: If an input is invalid (naive timestamp, bad IRI, empty name).
    """
    return Statement(
        id=statement_id("tool-launched", launch_id),
        actor=parts.agent(actor, disclosure),
        verb=parts.verb(Verbs.LAUNCHED),
        object=parts.activity(vocabulary.tool_iri, ActivityTypes.APPLICATION, tool_name),
        context=parts.context(
            vocabulary, framework=framework, group=group, organisation=organisation
        ),
        timestamp=require_utc(timestamp),
    )


def competency_rated(
    *,
    actor: Person,
    timestamp: datetime,
    registration: UUID,
    competency: CompetencyRef,
    revision: int,
    level: ScaleLevel,
    scale: Sequence[ScaleLevel],
    framework: FrameworkRef,
    group: str | None = None,
    organisation: Organisation | None = None,
    evidence_note: str | None = None,
    disclosure: Disclosure = _NO_DISCLOSURE,
    vocabulary: Vocabulary = DEFAULT_VOCABULARY,
) -> Statement:
    """Build "<person> answered the self-rating question for <competency>".

    The rating travels as ``result.response`` (the level id, as a likert response) and as
    level-id and level-label extensions; never as ``result.score``, because a self-rating is
    confidence, not assessed competence (CaSS reads a scaled score of 0.7 or less as a negative
    competence assertion). "Not applicable" and "prior qualification" are ratings like any other.

    Args:
        actor: Who rated.
        timestamp: When, timezone-aware UTC.
        registration: The self-assessment attempt; shared with its "completed" statement.
        competency: The competency rated; sent in ``contextActivities.grouping``.
        revision: 1 for the first rating of this competency in this registration, then 2, 3…
            for each change. The statement id key is
            ``("competency-rated", registration, competency.iri, revision)``.
        level: The chosen level.
        scale: Every level the person could choose, in order, including the special ones.
        framework: The framework being self-assessed.
        group: The competency group the person is aligned to.
        organisation: The person's setting.
        evidence_note: Free text behind a prior-qualification rating; sent only when
            ``disclosure.evidence_notes`` is true.
        disclosure: Personal data the deployment opted in to send.
        vocabulary: The deployment's tool-owned IRIs.

    Returns:
        The statement.

    Raises:
        ValueError: If ``level`` is not in ``scale``, ``revision`` is below 1, or an input is
            invalid.
    """
    (statement,) = competency_ratings(
        actor=actor,
        timestamp=timestamp,
        registration=registration,
        answers=[RatedAnswer(competency, revision, level, evidence_note)],
        scale=scale,
        framework=framework,
        group=group,
        organisation=organisation,
        disclosure=disclosure,
        vocabulary=vocabulary,
    )
    return statement


def competency_ratings(
    *,
    actor: Person,
    timestamp: datetime,
    registration: UUID,
    answers: Sequence[RatedAnswer],
    scale: Sequence[ScaleLevel],
    framework: FrameworkRef,
    group: str | None = None,
    organisation: Organisation | None = None,
    disclosure: Disclosure = _NO_DISCLOSURE,
    vocabulary: Vocabulary = DEFAULT_VOCABULARY,
) -> list[Statement]:
    """Build one :func:`competency_rated` statement per answer, sharing what they have in common.

    A person saving a page of answers makes several ratings at once: the actor, verb, scale,
    parent activity and context extensions are built once for all of them.

    Args:
        actor: Who rated.
        timestamp: When, timezone-aware UTC.
        registration: The self-assessment attempt.
        answers: The ratings, in the order their statements should be sent.
        scale: Every level the person could choose, in order, including the special ones.
        framework: The framework being self-assessed.
        group: The competency group the person is aligned to.
        organisation: The person's setting.
        disclosure: Personal data the deployment opted in to send.
        vocabulary: The deployment's tool-owned IRIs.

    Returns:
        The statements, one per answer, in order.

    Raises:
        ValueError: As :func:`competency_rated`, for the first answer that is invalid.
    """
    timestamp = require_utc(timestamp)
    scale = tuple(scale)
    levels = frozenset(scale)
    agent = parts.agent(actor, disclosure)
    answered = parts.verb(Verbs.ANSWERED)
    parent = [parts.self_assessment(vocabulary, framework)]
    level_id = vocabulary.extension(Extension.LEVEL_ID)
    level_label = vocabulary.extension(Extension.LEVEL_LABEL)
    evidence_key = vocabulary.extension(Extension.EVIDENCE_NOTE)
    built = []
    for answer in answers:
        if answer.revision < 1:
            raise ValueError("revision starts at 1")
        if answer.level not in levels:
            raise ValueError(f"level {answer.level.id!r} is not on the scale")
        extensions: dict[str, Any] = {level_id: answer.level.id, level_label: answer.level.label}
        if answer.evidence_note and disclosure.evidence_notes:
            extensions[evidence_key] = answer.evidence_note
        competency = answer.competency
        built.append(
            Statement(
                id=statement_id("competency-rated", registration, competency.iri, answer.revision),
                actor=agent,
                verb=answered,
                object=parts.likert_question(vocabulary, competency, scale),
                result=Result(response=answer.level.id, extensions=extensions),
                context=parts.context(
                    vocabulary,
                    registration=registration,
                    parent=parent,
                    competencies=[competency],
                    framework=framework,
                    group=group,
                    organisation=organisation,
                ),
                timestamp=timestamp,
            )
        )
    return built


def self_assessment_completed(
    *,
    actor: Person,
    timestamp: datetime,
    registration: UUID,
    framework: FrameworkRef,
    duration: timedelta,
    revision: int = 1,
    group: str | None = None,
    organisation: Organisation | None = None,
    disclosure: Disclosure = _NO_DISCLOSURE,
    vocabulary: Vocabulary = DEFAULT_VOCABULARY,
) -> Statement:
    """Build "<person> completed the self-assessment against <framework>".

    Args:
        actor: Who completed it.
        timestamp: When, timezone-aware UTC.
        registration: The attempt; the same registration as its ratings.
        framework: The framework self-assessed.
        duration: Time spent, sent as an ISO 8601 duration.
        revision: 1 for the first completion of this registration, then 2, 3… if it is
            reopened and completed again. The statement id key is
            ``("self-assessment-completed", registration, revision)``.
        group: The competency group the person is aligned to.
        organisation: The person's setting.
        disclosure: Personal data the deployment opted in to send.
        vocabulary: The deployment's tool-owned IRIs.

    Returns:
        The statement.

    Raises:
        ValueError: If ``duration`` is negative, ``revision`` is below 1, or an input is invalid.
    """
    if revision < 1:
        raise ValueError("revision starts at 1")
    return Statement(
        id=statement_id("self-assessment-completed", registration, revision),
        actor=parts.agent(actor, disclosure),
        verb=parts.verb(Verbs.COMPLETED),
        object=parts.self_assessment(vocabulary, framework),
        result=Result(completion=True, duration=iso_duration(duration)),
        context=parts.context(
            vocabulary,
            registration=registration,
            framework=framework,
            group=group,
            organisation=organisation,
        ),
        timestamp=require_utc(timestamp),
    )


def training_completed(
    *,
    actor: Person,
    timestamp: datetime,
    record_id: str,
    training: TrainingRef,
    valid_until: date | datetime | None = None,
    framework: FrameworkRef | None = None,
    competencies: Sequence[CompetencyRef] = (),
    group: str | None = None,
    organisation: Organisation | None = None,
    disclosure: Disclosure = _NO_DISCLOSURE,
    vocabulary: Vocabulary = DEFAULT_VOCABULARY,
) -> Statement:
    """Build "<person> completed <course>", or "attended <meeting>" for a live session.

    Args:
        actor: Who completed it.
        timestamp: When, timezone-aware UTC.
        record_id: The completion record's stable id; the statement id key is
            ``("training-completed", record_id)``.
        training: The training item; ``training.live`` picks attended/meeting.
        valid_until: When the completion expires (e.g. a certificate), if it does.
        framework: The framework that suggested the training, if any.
        competencies: Competencies the training addresses; sent in
            ``contextActivities.grouping``.
        group: The competency group the person is aligned to.
        organisation: The person's setting.
        disclosure: Personal data the deployment opted in to send.
        vocabulary: The deployment's tool-owned IRIs.

    Returns:
        The statement.

    Raises:
        ValueError: If an input is invalid.
    """
    verb, kind = (
        (Verbs.ATTENDED, ActivityTypes.MEETING)
        if training.live
        else (Verbs.COMPLETED, ActivityTypes.COURSE)
    )
    result_extensions = None
    if valid_until is not None:
        result_extensions = {VALID_UNTIL.iri: parts.date_text(valid_until)}
    return Statement(
        id=statement_id("training-completed", record_id),
        actor=parts.agent(actor, disclosure),
        verb=parts.verb(verb),
        object=parts.training(vocabulary, training, kind),
        result=Result(completion=True, extensions=result_extensions),
        context=parts.context(
            vocabulary,
            competencies=competencies,
            framework=framework,
            group=group,
            organisation=organisation,
        ),
        timestamp=require_utc(timestamp),
    )


def training_assigned(
    *,
    actor: Person,
    timestamp: datetime,
    assignment_id: str,
    training: TrainingRef,
    assigned_by: Person,
    due: date | None = None,
    framework: FrameworkRef | None = None,
    competencies: Sequence[CompetencyRef] = (),
    group: str | None = None,
    organisation: Organisation | None = None,
    disclosure: Disclosure = _NO_DISCLOSURE,
    vocabulary: Vocabulary = DEFAULT_VOCABULARY,
) -> Statement:
    """Build "<staff member> registered for <course>", assigned by a lead.

    The staff member is the actor (the statement is about their record); the lead who
    assigned it and the due date travel in tool-owned context extensions.

    Args:
        actor: The staff member the training is assigned to.
        timestamp: When it was assigned, timezone-aware UTC.
        assignment_id: The assignment record's stable id; the statement id key is
            ``("training-assigned", assignment_id)``.
        training: The training item.
        assigned_by: The lead who assigned it (identified by the same rules as actors).
        due: The date it is due by, if any.
        framework: The framework that suggested the training, if any.
        competencies: Competencies the training addresses.
        group: The competency group the staff member is aligned to.
        organisation: The staff member's setting.
        disclosure: Personal data the deployment opted in to send.
        vocabulary: The deployment's tool-owned IRIs.

    Returns:
        The statement.

    Raises:
        ValueError: If an input is invalid.
    """
    lead = parts.agent(assigned_by, disclosure).model_dump(mode="json", exclude_none=True)
    extensions: dict[str, Any] = {vocabulary.extension(Extension.ASSIGNED_BY): lead}
    if due is not None:
        extensions[vocabulary.extension(Extension.DUE_DATE)] = parts.date_text(due)
    return Statement(
        id=statement_id("training-assigned", assignment_id),
        actor=parts.agent(actor, disclosure),
        verb=parts.verb(Verbs.REGISTERED),
        object=parts.training(vocabulary, training, ActivityTypes.COURSE),
        context=parts.context(
            vocabulary,
            competencies=competencies,
            framework=framework,
            group=group,
            organisation=organisation,
            extra=extensions,
        ),
        timestamp=require_utc(timestamp),
    )
