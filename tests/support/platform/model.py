"""The test platform's data: people, courses, tools, launches, line items, scores, tampering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

MessageType = Literal["LtiResourceLinkRequest", "LtiDeepLinkingRequest"]
LoginMethod = Literal["POST", "GET"]


@dataclass(frozen=True)
class User:
    """A platform user. ``sub`` is the LTI user id (Moodle: the user's id number)."""

    sub: str
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    username: str | None = None
    person_sourcedid: str | None = None
    locale: str = "en"


@dataclass(frozen=True)
class Context:
    """A course. ``type`` uses Moodle's short form (``["CourseSection"]``)."""

    id: str = "2"
    label: str = "LTI101"
    title: str = "LTI Test Course"
    type: Sequence[str] = ("CourseSection",)
    sourcedid: str | None = "COURSE-LTI101"


# The people and course of the real Moodle 4.5 samples in shared/lms-samples/moodle-4.5/.
SAM_STUDENT = User(
    sub="4",
    name="Sam Student",
    given_name="Sam",
    family_name="Student",
    email="student1@example.com",
    username="student1",
    person_sourcedid="SIS-student1",
)
TERRY_TEACHER = User(
    sub="3",
    name="Terry Teacher",
    given_name="Terry",
    family_name="Teacher",
    email="teacher1@example.com",
    username="teacher1",
    person_sourcedid="SIS-teacher1",
)
ADMIN_USER = User(
    sub="2",
    name="Admin User",
    given_name="Admin",
    family_name="User",
    email="admin@example.com",
    username="admin",
    person_sourcedid="",
)
LTI101 = Context()


@dataclass(frozen=True)
class Tamper:
    """Ways to spoil one launch, for negative tests. Every field is optional.

    - ``sign_with_unknown_key``: a valid RS256 signature by a key absent from the platform's
      JWKS, under the real key's ``kid``.
    - ``kid``: the ``kid`` header to send (signed with the real key).
    - ``exp_offset`` / ``iat_offset``: seconds from now for ``exp`` / ``iat`` (e.g. -60 makes an
      expired token, ``iat_offset=3600`` one issued in the future).
    - ``aud``, ``iss``, ``deployment_id``, ``message_type``, ``nonce``: claim values to send.
    - ``drop_claims``: claims to remove; a bare name such as ``"deployment_id"`` also matches
      ``https://purl.imsglobal.org/spec/lti/claim/deployment_id``.
    - ``claims``: claims to set or replace last.
    - ``state``: the ``state`` to post back to the tool instead of the one it sent.
    """

    sign_with_unknown_key: bool = False
    kid: str | None = None
    exp_offset: int | None = None
    iat_offset: int | None = None
    aud: str | list[str] | None = None
    iss: str | None = None
    deployment_id: str | None = None
    message_type: str | None = None
    nonce: str | None = None
    drop_claims: Sequence[str] = ()
    claims: Mapping[str, Any] | None = None
    state: str | None = None


@dataclass
class ToolRegistration:
    """A tool the platform knows (Moodle: an external tool type)."""

    client_id: str
    deployment_id: str
    login_url: str
    launch_url: str
    redirect_uris: list[str]
    jwks_url: str
    deep_link_url: str | None
    type_id: int
    name: str = "Test tool"
    custom_parameters: dict[str, str] = field(default_factory=dict)
    scopes: list[str] | None = None  # None: every scope the platform supports


@dataclass(frozen=True)
class LaunchSpec:
    """What one launch URL asks the platform to send."""

    launch_id: str
    client_id: str
    user: User
    roles: list[str]
    message_type: str
    context: Context | None
    resource_link_id: str | None
    resource_link_title: str | None
    resource_link_description: str | None
    custom: dict[str, str]
    ags: bool
    ags_lineitem: bool
    nrps: bool
    lti_message_hint: str
    login_method: LoginMethod
    storage_target: str | None
    target_link_uri: str
    document_target: str | None
    deep_link_data: str | None
    tamper: Tamper | None
    extra_claims: dict[str, Any]


@dataclass(frozen=True)
class IssuedLaunch:
    """An id_token the platform's authorization endpoint signed and posted to a tool."""

    launch_id: str
    client_id: str
    redirect_uri: str
    state: str
    id_token: str
    header: dict[str, Any]
    claims: dict[str, Any]


@dataclass
class LineItem:
    """A gradebook column, scoped to one course and one tool."""

    id: int
    context_id: str
    client_id: str
    label: str
    score_maximum: float
    resource_id: str = ""
    tag: str = ""
    resource_link_id: str | None = None
    start_date_time: str | None = None
    end_date_time: str | None = None


@dataclass(frozen=True)
class ScoreRecord:
    """One score POST the platform received, with the answer it gave."""

    lineitem_url: str
    lineitem_id: int | None
    body: Any
    content_type: str
    token_scopes: list[str]
    client_id: str | None
    status: int


@dataclass
class Result:
    """The current result of one user on one line item."""

    lineitem_id: int
    user_id: str
    result_score: float | None
    result_maximum: float
    comment: str | None
    timestamp: str
    activity_progress: str
    grading_progress: str


@dataclass(frozen=True)
class DeepLinkResponse:
    """A Deep Linking response whose signature the platform verified."""

    client_id: str
    header: dict[str, Any]
    claims: dict[str, Any]
    content_items: list[dict[str, Any]]


@dataclass(frozen=True)
class DynamicRegistrationRecord:
    """One completed LTI Dynamic Registration."""

    client_id: str
    deployment_id: str
    legacy_moodle_shape: bool
    request: dict[str, Any]
    response: dict[str, Any]


@dataclass
class Member:
    """A course member, as NRPS reports it."""

    user: User
    roles: list[str]
    status: str = "Active"


@dataclass(frozen=True)
class DeepLinkSession:
    """What the platform remembers of a Deep Linking request, to check the response against."""

    dl_id: str
    client_id: str
    deployment_id: str
    context_id: str | None
    data: str | None
    accept_types: list[str]


@dataclass
class RegistrationToken:
    """A one-time bearer token for the dynamic registration endpoint."""

    token: str
    expires_at: float
    legacy_moodle_shape: bool
    used: bool = False
