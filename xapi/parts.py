"""The pieces statements are assembled from: agents, verbs, activities and context.

Shared by the builders in :mod:`xapi.statements`, so every statement gets the same actor
rules, language tags and context layout.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from xapi.inputs import (
    CompetencyRef,
    Disclosure,
    FrameworkRef,
    Organisation,
    Person,
    ScaleLevel,
    TrainingRef,
)
from xapi.models import (
    Account,
    Activity,
    ActivityDefinition,
    Agent,
    Context,
    ContextActivities,
    InteractionComponent,
    Verb,
    is_email,
)
from xapi.timeutil import format_timestamp, require_utc
from xapi.vocabulary import (
    CONTENT_LANGUAGE,
    PROFILE_IRI,
    VERB_DISPLAY_LANGUAGE,
    ActivityTypes,
    Extension,
    Term,
    Vocabulary,
)


@functools.lru_cache(maxsize=1024)
def agent(person: Person, disclosure: Disclosure) -> Agent:
    """Identify a person by platform account, or by e-mail where the deployment opted in.

    Args:
        person: The person.
        disclosure: The deployment's opt-ins.

    Returns:
        The Agent, with a name only when names are opted in.
    """
    name = person.name if disclosure.names else None
    # An Agent carries exactly one identifier, so opting in to e-mail replaces the account.
    # A platform may send a malformed address; the account then still identifies the person
    # rather than the statement (and the change it records) failing.
    if disclosure.emails and person.email and is_email(person.email):
        return Agent(name=name, mbox=f"mailto:{person.email}")
    return Agent(name=name, account=Account(homePage=person.issuer, name=person.sub))


@functools.lru_cache(maxsize=1024)
def verb(term: Term) -> Verb:
    """Return the verb for a vocabulary term, with its canonical display."""
    return Verb(id=term.iri, display={VERB_DISPLAY_LANGUAGE: term.display})


def text(value: str) -> dict[str, str]:
    """Return a language map holding ``value`` in the tool's content language."""
    return {CONTENT_LANGUAGE: value}


def date_text(value: date | datetime) -> str:
    """Return an ISO 8601 date, or a UTC timestamp for an aware datetime."""
    if isinstance(value, datetime):
        return format_timestamp(require_utc(value))
    return value.isoformat()


def activity(iri: str, kind: Term, name: str, extensions: dict[str, Any] | None = None) -> Activity:
    """Return an activity with a type and a name."""
    return Activity(
        id=iri,
        definition=ActivityDefinition(name=text(name), type=kind.iri, extensions=extensions),
    )


@functools.lru_cache(maxsize=1024)
def self_assessment(vocabulary: Vocabulary, framework: FrameworkRef) -> Activity:
    """Return the self-assessment activity for a framework."""
    return activity(
        vocabulary.self_assessment_iri(framework.iri),
        ActivityTypes.ASSESSMENT,
        f"Self-assessment: {framework.title}",
    )


@functools.lru_cache(maxsize=4096)
def likert_question(
    vocabulary: Vocabulary, competency: CompetencyRef, scale: tuple[ScaleLevel, ...]
) -> Activity:
    """Return the self-rating question for a competency: the same for every person who rates it."""
    return Activity(
        id=vocabulary.self_rating_iri(competency.iri),
        definition=ActivityDefinition(
            name=text(competency.statement),
            type=ActivityTypes.QUESTION.iri,
            interactionType="likert",
            scale=[
                InteractionComponent(id=item.id, description=text(item.label)) for item in scale
            ],
        ),
    )


def training(vocabulary: Vocabulary, item: TrainingRef, kind: Term) -> Activity:
    """Return a training activity, with its provider as an extension."""
    extensions = None
    if item.provider:
        extensions = {vocabulary.extension(Extension.TRAINING_PROVIDER): item.provider}
    return activity(item.iri, kind, item.title, extensions)


# The parts above are frozen models built from hashable inputs, so statements may share them;
# pydantic does not revalidate model instances, which makes a batch of ratings much cheaper.


def context(
    vocabulary: Vocabulary,
    *,
    registration: UUID | None = None,
    parent: list[Activity] | None = None,
    competencies: Sequence[CompetencyRef] = (),
    framework: FrameworkRef | None = None,
    group: str | None = None,
    organisation: Organisation | None = None,
    extra: dict[str, Any] | None = None,
) -> Context:
    """Return the context every statement shares.

    Args:
        vocabulary: The deployment's tool-owned IRIs.
        registration: The attempt, for ratings and completions.
        parent: Activities directly containing the object.
        competencies: Competencies, put in ``grouping`` with the TLA competency type.
        framework: The framework, first in ``grouping``; its version and phase as extensions.
        group: The person's competency group, as an extension.
        organisation: The person's setting, as an extension.
        extra: Further context extensions.

    Returns:
        The context, always with the profile in ``category`` and ``en-GB`` as language.
    """
    grouping = [_competency(item) for item in competencies]
    if framework is not None:
        grouping.insert(0, _framework(framework))
    extensions = {**_extensions(vocabulary, framework, group, organisation), **(extra or {})}
    return Context(
        registration=registration,
        contextActivities=ContextActivities(
            parent=parent, grouping=grouping or None, category=[_profile()]
        ),
        language=CONTENT_LANGUAGE,
        extensions=extensions or None,
    )


@functools.lru_cache(maxsize=4096)
def _competency(item: CompetencyRef) -> Activity:
    return activity(item.iri, ActivityTypes.COMPETENCY, item.statement)


@functools.lru_cache(maxsize=256)
def _framework(framework: FrameworkRef) -> Activity:
    return activity(framework.iri, ActivityTypes.COMPETENCY_FRAMEWORK, framework.title)


@functools.lru_cache(maxsize=1)
def _profile() -> Activity:
    return activity(PROFILE_IRI, ActivityTypes.PROFILE, "SEMH competency tool xAPI profile")


@functools.lru_cache(maxsize=1024)
def _extensions(
    vocabulary: Vocabulary,
    framework: FrameworkRef | None,
    group: str | None,
    organisation: Organisation | None,
) -> dict[str, Any]:
    # Shared between calls: callers copy it before adding to it.
    extensions: dict[str, Any] = {}
    if framework is not None:
        extensions[vocabulary.extension(Extension.FRAMEWORK_VERSION)] = framework.version
        if framework.phase:
            extensions[vocabulary.extension(Extension.PHASE)] = framework.phase
    if group:
        extensions[vocabulary.extension(Extension.COMPETENCY_GROUP)] = group
    if organisation is not None:
        org: dict[str, str] = {"id": organisation.id}
        if organisation.name:
            org["name"] = organisation.name
        extensions[vocabulary.extension(Extension.ORGANISATION)] = org
    return extensions
