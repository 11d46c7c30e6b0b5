"""Every xAPI IRI the tool uses, with its display name: the only module that may hold one.

Sources: the ADL vocabulary (verbs and activity types), the SCORM and cmi5 profiles, Activity
Streams, the Rustici (tincanapi.com) registry and the ADL TLA profile. Tool-owned IRIs (our
extensions and our own activities) live under configurable bases so that a deployment can serve
its own profile document; their defaults sit under ``https://semh-lti.org/xapi/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote
from uuid import UUID

#: Language tag for names and descriptions the tool writes (UK English content).
CONTENT_LANGUAGE = "en-GB"

#: Verb displays use the canonical ADL wording and tag, which registries and Ralph's verb
#: models expect verbatim.
VERB_DISPLAY_LANGUAGE = "en-US"

#: Namespace for deterministic statement ids (uuid5); fixed forever, or every id would change.
STATEMENT_ID_NAMESPACE = UUID("2b7c1f0e-4d53-5a6e-9c0f-8a1d3e5b7c90")

DEFAULT_EXTENSION_BASE = "https://semh-lti.org/xapi/extensions/"
DEFAULT_ACTIVITY_BASE = "https://semh-lti.org/xapi/activities/"

#: The written profile (docs/xapi-profile.md) is published at this IRI; statements carry it
#: in ``context.contextActivities.category`` as xAPI Profiles recommend.
PROFILE_IRI = "https://semh-lti.org/xapi/profile"


@dataclass(frozen=True)
class Term:
    """One vocabulary concept: its IRI and a human-readable display name."""

    iri: str
    display: str


class Verbs:
    """Verbs, all from the ADL vocabulary (also in the SCORM and cmi5 profiles)."""

    LAUNCHED = Term("http://adlnet.gov/expapi/verbs/launched", "launched")
    ANSWERED = Term("http://adlnet.gov/expapi/verbs/answered", "answered")
    COMPLETED = Term("http://adlnet.gov/expapi/verbs/completed", "completed")
    ATTENDED = Term("http://adlnet.gov/expapi/verbs/attended", "attended")
    REGISTERED = Term("http://adlnet.gov/expapi/verbs/registered", "registered")

    ALL = (LAUNCHED, ANSWERED, COMPLETED, ATTENDED, REGISTERED)


class ActivityTypes:
    """Activity types, grouped by where they are defined."""

    # ADL vocabulary
    QUESTION = Term("http://adlnet.gov/expapi/activities/question", "question")
    ASSESSMENT = Term("http://adlnet.gov/expapi/activities/assessment", "assessment")
    COURSE = Term("http://adlnet.gov/expapi/activities/course", "course")
    MEETING = Term("http://adlnet.gov/expapi/activities/meeting", "meeting")
    PROFILE = Term("http://adlnet.gov/expapi/activities/profile", "profile")
    # Activity Streams
    APPLICATION = Term("http://activitystrea.ms/schema/1.0/application", "application")
    # ADL TLA profile
    COMPETENCY = Term("https://w3id.org/xapi/tla/activity-types/competency", "competency")
    # Tool-owned: no published profile names a type for a competency framework as a whole.
    COMPETENCY_FRAMEWORK = Term(
        "https://semh-lti.org/xapi/activity-types/competency-framework", "competency framework"
    )

    ALL = (
        QUESTION,
        ASSESSMENT,
        COURSE,
        MEETING,
        PROFILE,
        APPLICATION,
        COMPETENCY,
        COMPETENCY_FRAMEWORK,
    )


#: Rustici registry: the date until which a result (e.g. a certificate) stays valid.
VALID_UNTIL = Term("http://id.tincanapi.com/extension/valid-until", "valid until")


class Extension(StrEnum):
    """Tool-owned extensions; each value is the last segment of its IRI."""

    LEVEL_ID = "level-id"
    LEVEL_LABEL = "level-label"
    EVIDENCE_NOTE = "evidence-note"
    FRAMEWORK_VERSION = "framework-version"
    COMPETENCY_GROUP = "competency-group"
    PHASE = "phase"
    ORGANISATION = "organisation"
    ASSIGNED_BY = "assigned-by"
    DUE_DATE = "due-date"
    TRAINING_PROVIDER = "training-provider"


EXTENSION_DISPLAY: dict[Extension, str] = {
    Extension.LEVEL_ID: "rating level id",
    Extension.LEVEL_LABEL: "rating level label",
    Extension.EVIDENCE_NOTE: "evidence note",
    Extension.FRAMEWORK_VERSION: "framework version",
    Extension.COMPETENCY_GROUP: "competency group",
    Extension.PHASE: "age phase",
    Extension.ORGANISATION: "organisation",
    Extension.ASSIGNED_BY: "assigned by",
    Extension.DUE_DATE: "due date",
    Extension.TRAINING_PROVIDER: "training provider",
}


@dataclass(frozen=True)
class Vocabulary:
    """The tool-owned IRIs of one deployment, derived from two configurable bases.

    Attributes:
        extension_base: Prefix of every tool-owned extension IRI; ends with ``/``.
        activity_base: Prefix of the tool's own activity IRIs; ends with ``/``.
    """

    extension_base: str = DEFAULT_EXTENSION_BASE
    activity_base: str = DEFAULT_ACTIVITY_BASE

    def __post_init__(self) -> None:
        for name in ("extension_base", "activity_base"):
            value = getattr(self, name)
            if not value.startswith(("https://", "http://")) or not value.endswith("/"):
                raise ValueError(f"{name} must be an http(s) IRI ending with '/': {value!r}")

    def extension(self, extension: Extension) -> str:
        """Return the IRI of a tool-owned extension.

        Args:
            extension: Which extension.

        Returns:
            The extension's IRI under ``extension_base``.
        """
        return self.extension_base + extension.value

    @property
    def tool_iri(self) -> str:
        """The activity id of the tool itself, the object of "launched"."""
        return self.activity_base + "tool"

    def self_assessment_iri(self, framework_iri: str) -> str:
        """Return the activity id of the self-assessment against one framework.

        Args:
            framework_iri: The framework's own IRI (stable across versions).

        Returns:
            An IRI in the tool's namespace; the framework IRI is carried percent-encoded, so
            no IRI is ever minted under someone else's authority.
        """
        return f"{self.activity_base}self-assessment?framework={quote(framework_iri, safe='')}"

    def self_rating_iri(self, competency_iri: str) -> str:
        """Return the activity id of the self-rating question for one competency.

        Args:
            competency_iri: The competency's own IRI.

        Returns:
            An IRI in the tool's namespace, stable across framework versions.
        """
        return f"{self.activity_base}self-rating?competency={quote(competency_iri, safe='')}"

    def training_iri(self, training_id: str) -> str:
        """Return an activity id for a training item that has no IRI of its own.

        Args:
            training_id: The training item's stable slug.

        Returns:
            An IRI under ``activity_base``.
        """
        return f"{self.activity_base}training/{quote(training_id, safe='')}"


DEFAULT_VOCABULARY = Vocabulary()
