"""The tool's side of xAPI: turn what happened into statements and enqueue them.

Each function adds its statement to the caller's transaction through the outbox, so a
statement exists exactly when the change it describes was committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from frameworks import Framework
from lti_tool.launch import LaunchContext
from lti_tool.models import AssessmentCycle, PlanItem
from lti_tool.services.assessment import SavedRating
from xapi import statements
from xapi.inputs import (
    CompetencyRef,
    FrameworkRef,
    Organisation,
    Person,
    RatedAnswer,
    ScaleLevel,
    TrainingRef,
)
from xapi.outbox import enqueue, enqueue_many
from xapi.settings import XapiSettings

LIVE_FORMATS = frozenset({"face-to-face", "webinar", "coaching"})


class Journal:
    """Builds and enqueues statements with the deployment's vocabulary and disclosure."""

    def __init__(self, settings: XapiSettings, wake: Callable[[], None] | None = None) -> None:
        self._vocabulary = settings.vocabulary()
        self._disclosure = settings.disclosure()
        self._wake = wake

    def _common(self, launch: LaunchContext) -> dict[str, object]:
        person = launch.person
        return {
            "actor": Person(
                issuer=person.issuer,
                sub=person.subject,
                name=person.display_name if person.name or person.given_name else None,
                email=person.email or None,
            ),
            "organisation": Organisation(id=launch.issuer, name=None),
            "disclosure": self._disclosure,
            "vocabulary": self._vocabulary,
        }

    def _enqueue(self, session: Session, statement: statements.Statement) -> None:
        enqueue(session, statement, on_commit=self._wake)

    def launched(
        self,
        session: Session,
        launch: LaunchContext,
        framework: Framework | None,
        group: str | None,
        now: datetime,
    ) -> None:
        """The person launched the tool."""
        self._enqueue(
            session,
            statements.tool_launched(
                timestamp=now,
                launch_id=launch.launch_id,
                framework=_ref(framework),
                group=group,
                **self._common(launch),  # type: ignore[arg-type]
            ),
        )

    def rated(
        self,
        session: Session,
        launch: LaunchContext,
        framework: Framework,
        cycle: AssessmentCycle,
        ratings: Sequence[SavedRating],
        now: datetime,
    ) -> None:
        """The person gave (or changed) self-ratings; one statement each, one insert."""
        if ratings:
            built = self.rating_statements(launch, framework, cycle, ratings, now)
            enqueue_many(session, built, on_commit=self._wake)

    def rating_statements(
        self,
        launch: LaunchContext,
        framework: Framework,
        cycle: AssessmentCycle,
        ratings: Sequence[SavedRating],
        now: datetime,
    ) -> list[statements.Statement]:
        """The statements :meth:`rated` enqueues, one per rating, without enqueueing them."""
        scale = framework.scale
        levels = {r: ScaleLevel(r, scale.label_of(r)) for r in scale.rating_ids}
        answers = []
        for rating in ratings:
            competency = framework.competency(rating.competency_id)
            answers.append(
                RatedAnswer(
                    CompetencyRef(framework.competency_iri(competency.id), competency.statement),
                    rating.revision,
                    levels[rating.rating],
                    rating.evidence_note or None,
                )
            )
        return statements.competency_ratings(
            timestamp=now,
            registration=uuid.UUID(cycle.registration),
            answers=answers,
            scale=tuple(levels.values()),
            framework=_ref(framework),
            group=cycle.group,
            **self._common(launch),  # type: ignore[arg-type]
        )

    def completed(
        self,
        session: Session,
        launch: LaunchContext,
        framework: Framework,
        cycle: AssessmentCycle,
    ) -> None:
        """The person completed a self-assessment cycle."""
        if cycle.completed_at is None:
            raise ValueError("only a completed cycle has a completed statement")
        self._enqueue(
            session,
            statements.self_assessment_completed(
                timestamp=cycle.completed_at,
                registration=uuid.UUID(cycle.registration),
                framework=_ref(framework),
                duration=max(cycle.completed_at - cycle.started_at, timedelta(0)),
                group=cycle.group,
                **self._common(launch),  # type: ignore[arg-type]
            ),
        )

    def training_completed(
        self,
        session: Session,
        launch: LaunchContext,
        framework: Framework,
        item: PlanItem,
        group: str,
        now: datetime,
    ) -> None:
        """The person recorded training as completed (or attended, for live sessions)."""
        training = framework.training_item(item.training_id)
        self._enqueue(
            session,
            statements.training_completed(
                timestamp=now,
                record_id=f"plan-item-{item.id}-{item.completed_on}",
                training=TrainingRef(
                    # Provider URLs are shared by many courses, so each item gets its own IRI.
                    iri=self._vocabulary.training_iri(f"{framework.id}.{training.id}"),
                    title=training.title,
                    provider=training.provider,
                    live=training.format in LIVE_FORMATS,
                ),
                framework=_ref(framework),
                competencies=tuple(
                    CompetencyRef(framework.competency_iri(c.id), c.statement)
                    for c in framework.competencies_for_training(training.id)
                ),
                group=group,
                **self._common(launch),  # type: ignore[arg-type]
            ),
        )


def _ref(framework: Framework | None) -> FrameworkRef | None:
    if framework is None:
        return None
    return FrameworkRef(framework.iri, framework.title, framework.version, framework.phase)
