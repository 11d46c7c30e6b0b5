"""Plain inputs to the statement builders, so that ``xapi`` depends on nothing of the app's."""

from __future__ import annotations

from dataclasses import dataclass

#: Response ids for the two ratings that are not points on the confidence scale.
NOT_APPLICABLE = "not-applicable"
PRIOR_QUALIFICATION = "prior-qualification"


@dataclass(frozen=True)
class Person:
    """A member of staff as the LTI platform knows them.

    Attributes:
        issuer: The platform's issuer (``iss``), an https URL; becomes ``account.homePage``.
        sub: The LTI ``sub`` claim; becomes ``account.name``.
        name: Full name, sent only when the deployment opts in.
        email: E-mail address, sent only when the deployment opts in.
    """

    issuer: str
    sub: str
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Disclosure:
    """What personal data a deployment has opted in to send to its LRS. Nothing by default.

    Attributes:
        names: Send people's full names.
        emails: Identify people by ``mbox`` (their e-mail) instead of their platform account,
            when the platform supplied a well-formed address (else the account is used).
        evidence_notes: Send the free-text evidence note of a prior-qualification rating.
    """

    names: bool = False
    emails: bool = False
    evidence_notes: bool = False


@dataclass(frozen=True)
class FrameworkRef:
    """A competency framework at one version.

    Attributes:
        iri: The framework's own IRI, stable across versions.
        title: Its title.
        version: Its version (e.g. ``1.0.0``).
        phase: Its age phase (e.g. ``primary``), when it has one.
    """

    iri: str
    title: str
    version: str
    phase: str | None = None


@dataclass(frozen=True)
class CompetencyRef:
    """One competency of a framework.

    Attributes:
        iri: The competency's own IRI.
        statement: Its first-person statement ("I can…"), used as its name.
    """

    iri: str
    statement: str


@dataclass(frozen=True)
class ScaleLevel:
    """One answer on a rating scale, including "not applicable" and "prior qualification".

    Attributes:
        id: Stable id without whitespace (e.g. ``confident`` or :data:`NOT_APPLICABLE`).
        label: Plain-English label (e.g. ``Confident``).
    """

    id: str
    label: str


@dataclass(frozen=True)
class RatedAnswer:
    """One self-rating within a batch of ratings by the same person in the same attempt.

    Attributes:
        competency: The competency rated.
        revision: 1 for its first rating in the attempt, then 2, 3… for each change.
        level: The chosen level.
        evidence_note: Free text behind a prior-qualification rating, if any.
    """

    competency: CompetencyRef
    revision: int
    level: ScaleLevel
    evidence_note: str | None = None


@dataclass(frozen=True)
class Organisation:
    """The setting or employer a statement belongs to, for slicing reports.

    Attributes:
        id: A stable identifier (e.g. a URN or the deployment's tenant slug).
        name: A display name.
    """

    id: str
    name: str | None = None


@dataclass(frozen=True)
class TrainingRef:
    """A training item.

    Attributes:
        iri: The training's activity id (see ``Vocabulary.training_iri`` when it has none).
        title: Its title.
        provider: Who provides it (e.g. ``Papyrus``).
        live: True for a live session (webinar, face-to-face): recorded as "attended" a
            meeting rather than "completed" a course.
    """

    iri: str
    title: str
    provider: str | None = None
    live: bool = False
