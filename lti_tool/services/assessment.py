"""Self-assessment cycles and ratings: what is in scope, saving answers, completing a cycle."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from frameworks import Competency, Domain, Framework
from frameworks.vocab import NOT_APPLICABLE, PRIOR_QUALIFICATION
from lti_tool.errors import ConflictError, InvalidInputError
from lti_tool.models import AssessmentCycle, Rating, StaffProfile, utcnow
from lti_tool.models.base import insert_skipping_duplicates
from lti_tool.models.staff import EVIDENCE_MAX, NOTE_MAX


@dataclass(frozen=True)
class Scope:
    """The competencies one person rates: their group's (cumulative), plus SEND if on."""

    framework: Framework
    group: str
    send: bool
    domains: tuple[tuple[Domain, tuple[Competency, ...]], ...]

    @functools.cached_property
    def competency_ids(self) -> tuple[str, ...]:
        """Every competency in scope, in framework order."""
        return tuple(c.id for _, comps in self.domains for c in comps)

    @functools.cached_property
    def _in_scope(self) -> frozenset[str]:
        return frozenset(self.competency_ids)

    def includes(self, competency_id: str) -> bool:
        """Whether the person rates this competency."""
        return competency_id in self._in_scope

    def domain_ids(self) -> tuple[str, ...]:
        """Domains that have something to rate, in order."""
        return tuple(d.id for d, _ in self.domains)

    def competencies_of(self, domain_id: str) -> tuple[Competency, ...]:
        """The competencies in scope within one domain."""
        for domain, comps in self.domains:
            if domain.id == domain_id:
                return comps
        raise InvalidInputError(
            f"domain {domain_id!r} not in scope",
            problem="That part of the self-assessment does not exist.",
        )


def scope_for(framework: Framework, group: str, send: bool) -> Scope:
    """Group the competencies a person rates by domain, dropping empty domains."""
    wanted = {c.id for c in framework.competencies_for(group, include_send=send)}
    domains = tuple(
        (domain, comps)
        for domain in framework.domains
        if (comps := tuple(c for c in domain.competencies if c.id in wanted))
    )
    return Scope(framework, group, send, domains)


def scope_of_cycle(framework: Framework, cycle: AssessmentCycle) -> Scope:
    """The scope a cycle was started with."""
    return scope_for(framework, cycle.group, cycle.send_enabled)


def current_cycle(session: Session, profile: StaffProfile, framework: Framework) -> AssessmentCycle:
    """The person's latest cycle, starting the first one if there is none."""
    latest = session.scalars(
        sa.select(AssessmentCycle)
        .where(AssessmentCycle.profile_id == profile.id)
        .order_by(AssessmentCycle.number.desc())
    ).first()
    return latest or start_cycle(session, profile, framework, label="")


def start_cycle(
    session: Session, profile: StaffProfile, framework: Framework, label: str
) -> AssessmentCycle:
    """Begin a new self-assessment round with the profile's current group and overlay."""
    label = label.strip()
    if len(label) > 80:
        raise InvalidInputError(
            "label too long",
            problem="Give the new self-assessment a name of 80 characters or fewer.",
        )
    number = 1 + (
        session.scalar(
            sa.select(sa.func.max(AssessmentCycle.number)).where(
                AssessmentCycle.profile_id == profile.id
            )
        )
        or 0
    )
    cycle = AssessmentCycle(
        profile_id=profile.id,
        number=number,
        label=label or f"Self-assessment {number}",
        framework_version=framework.version,
        group=profile.group,
        send_enabled=profile.send_enabled,
        registration=str(uuid.uuid4()),
    )
    session.add(cycle)
    session.flush()
    return cycle


def ratings_of(
    session: Session, cycle: AssessmentCycle, only: Collection[str] | None = None
) -> dict[str, Rating]:
    """The cycle's ratings by competency id (only those of ``only`` when given)."""
    query = sa.select(Rating).where(Rating.cycle_id == cycle.id)
    if only is not None:
        query = query.where(Rating.competency_id.in_(only))
    return {r.competency_id: r for r in session.scalars(query)}


@dataclass(frozen=True)
class SavedRating:
    """One answer as stored after a save, whether this save changed anything, and whether the
    rating itself changed (a note edit alone is private and makes no statement)."""

    competency_id: str
    rating: str
    evidence_note: str
    private_note: str
    revision: int
    changed: bool
    rating_changed: bool


def _clean_note(text: str | None, limit: int, what: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise InvalidInputError(
            f"{what} too long ({len(text)})",
            problem=f"Your {what} is {len(text)} characters long; keep it to {limit} or fewer.",
        )
    return text


def save_ratings(
    session: Session,
    cycle: AssessmentCycle,
    scope: Scope,
    answers: dict[str, tuple[str, str | None, str | None]],
    known: dict[str, Rating] | None = None,
) -> list[SavedRating]:
    """Save several answers at once (competency id -> rating, evidence, note).

    Every answer is checked before anything is written, so one bad answer saves none of them.
    New answers go in as one multi-row INSERT; changed ones update their stored row.
    ``known`` is the cycle's ratings when the caller has just read them (see :func:`ratings_of`).
    """
    prepared = [
        (cid, *_checked_answer(cycle, scope, cid, rating, evidence, note))
        for cid, (rating, evidence, note) in answers.items()
    ]
    known = ratings_of(session, cycle) if known is None else known
    now = utcnow()
    first = [answer for answer in prepared if answer[0] not in known]
    # Another request (an autosave still on its way, a second tab) may have saved some of these
    # first answers since ``known`` was read: this save came later, so it applies over those.
    raced = _insert_first_answers(session, cycle, first, now) if first else {}
    saved = []
    for cid, rating, evidence, note in prepared:
        stored = known.get(cid) or raced.get(cid)
        if stored is None:
            saved.append(SavedRating(cid, rating, evidence, note, 1, True, rating_changed=True))
        else:
            saved.append(_update(stored, rating, evidence, note, now))
    session.flush()
    return saved


def _insert_first_answers(
    session: Session,
    cycle: AssessmentCycle,
    answers: list[tuple[str, str, str, str]],
    now: datetime,
) -> dict[str, Rating]:
    """Insert first answers in one statement, skipping any saved meanwhile; return those."""
    rows = [
        {
            "cycle_id": cycle.id,
            "competency_id": cid,
            "rating": rating,
            "evidence_note": evidence,
            "private_note": note,
            "revision": 1,
            "updated_at": now,
        }
        for cid, rating, evidence, note in answers
    ]
    statement = insert_skipping_duplicates(session, Rating.__table__, "cycle_id", "competency_id")
    inserted = session.execute(statement.execution_options(preserve_rowcount=True), rows)
    session.expire(cycle, ["ratings"])
    if inserted.rowcount == len(rows):
        return {}
    # Which rows were skipped is not reported (RETURNING would cost a third of the insert), but
    # the rows this save wrote carry its own timestamp, to the microsecond.
    held = ratings_of(session, cycle, [row["competency_id"] for row in rows])
    return {cid: stored for cid, stored in held.items() if stored.updated_at != now}


def _checked_answer(
    cycle: AssessmentCycle,
    scope: Scope,
    competency_id: str,
    rating: str,
    evidence_note: str | None,
    private_note: str | None,
) -> tuple[str, str, str]:
    if cycle.completed_at is not None:
        raise ConflictError(
            "cycle complete",
            problem="This self-assessment is already complete. Start a new one to change answers.",
        )
    if not scope.includes(competency_id):
        raise InvalidInputError(
            f"competency {competency_id!r} not in scope",
            problem="That statement is not part of your self-assessment. Reload the page.",
        )
    if rating not in scope.framework.scale.rating_ids:
        raise InvalidInputError(
            f"rating {rating!r} outside the scale",
            problem="Choose one of the answers shown for this statement.",
        )
    evidence = _clean_note(evidence_note, EVIDENCE_MAX, "evidence note")
    note = _clean_note(private_note, NOTE_MAX, "private note")
    if rating != PRIOR_QUALIFICATION:
        evidence = ""  # evidence only describes a prior qualification
    return rating, evidence, note


def _update(stored: Rating, rating: str, evidence: str, note: str, now: datetime) -> SavedRating:
    changed = (stored.rating, stored.evidence_note, stored.private_note) != (rating, evidence, note)
    rating_changed = stored.rating != rating or stored.evidence_note != evidence
    if changed:
        if rating_changed:
            stored.revision += 1
        stored.rating, stored.evidence_note, stored.private_note = rating, evidence, note
        stored.updated_at = now
    return SavedRating(
        stored.competency_id,
        stored.rating,
        stored.evidence_note,
        stored.private_note,
        stored.revision,
        changed=changed,
        rating_changed=rating_changed,
    )


def save_rating(
    session: Session,
    cycle: AssessmentCycle,
    scope: Scope,
    competency_id: str,
    rating: str,
    *,
    evidence_note: str | None = None,
    private_note: str | None = None,
    known: dict[str, Rating] | None = None,
) -> SavedRating:
    """Save one answer; saving the same answer again changes nothing."""
    (saved,) = save_ratings(
        session, cycle, scope, {competency_id: (rating, evidence_note, private_note)}, known
    )
    return saved


@dataclass(frozen=True)
class Progress:
    """How far through their self-assessment a person is."""

    answered: int
    total: int
    next_domain: str | None

    @property
    def percent(self) -> int:
        """Whole-number percentage answered."""
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        """Every statement has an answer."""
        return self.answered >= self.total


def progress(scope: Scope, ratings: Collection[str]) -> Progress:
    """Answers given so far (by competency id) and the first domain with something unanswered."""
    answered = sum(1 for cid in scope.competency_ids if cid in ratings)
    next_domain = next(
        (d.id for d, comps in scope.domains if any(c.id not in ratings for c in comps)), None
    )
    return Progress(answered, len(scope.competency_ids), next_domain)


def complete_cycle(
    session: Session, cycle: AssessmentCycle, scope: Scope, context_pk: int | None
) -> AssessmentCycle:
    """Mark the cycle complete once every statement has an answer."""
    if cycle.completed_at is not None:
        raise ConflictError(
            "already complete", problem="You have already completed this self-assessment."
        )
    done = progress(scope, ratings_of(session, cycle))
    if not done.complete:
        raise InvalidInputError(
            "unanswered statements",
            problem=f"You have answered {done.answered} of {done.total} statements. "
            "Answer the rest before you finish.",
        )
    cycle.completed_at = utcnow()
    cycle.completed_in_context_id = context_pk
    session.flush()
    return cycle


SPECIAL_RATINGS = (NOT_APPLICABLE, PRIOR_QUALIFICATION)
