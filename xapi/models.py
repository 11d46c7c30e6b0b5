"""Strict pydantic models of the xAPI 1.0.3 statements the tool emits, and their exact bytes.

The models cover only what the tool sends, and forbid the rest: no ``version``, ``stored`` or
``authority`` (the LRS sets those), no attachments, and no ``result.score`` at all, so a
self-rating can never reach an LRS as a scaled score (see docs/xapi-profile.md).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    field_serializer,
    field_validator,
    model_validator,
)

from xapi.iri import is_iri
from xapi.timeutil import as_utc, format_timestamp, require_utc


def _check_iri(value: str) -> str:
    if not is_iri(value):
        raise ValueError(f"not an absolute IRI: {value!r}")
    return value


def _canonical(value: Any) -> Any:
    """Sort every mapping by key, recursively, and refuse fractional numbers.

    A fractional number has more than one JSON spelling (1e-05 or 0.00001, depending on the
    serialiser) and NaN has none, so extension values are strings, integers, booleans, lists
    and objects only.
    """
    if isinstance(value, dict):
        return {key: _canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, float):
        raise ValueError(
            f"extension value {value!r}: a fractional number has no single JSON spelling; "
            "send it as a string"
        )
    return value


IRI = Annotated[str, AfterValidator(_check_iri)]
NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]
# language[-script][-region]: the well-formed RFC 5646 tags the tool has any use for.
LanguageTag = Annotated[
    str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
]
LanguageMap = Annotated[
    dict[LanguageTag, NonEmptyStr], Field(min_length=1), AfterValidator(_canonical)
]
Extensions = Annotated[dict[IRI, JsonValue], Field(min_length=1), AfterValidator(_canonical)]
# A dot-atom address with a letters-only top-level domain: a strict subset of what mail
# validators (and Ralph's) accept, so an address we send is never refused downstream.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"(?=.{{1,64}}@){_ATEXT}(?:\.{_ATEXT})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")


def is_email(address: str) -> bool:
    """Tell whether ``address`` is an e-mail address we are willing to send as ``mbox``.

    Args:
        address: The address, without ``mailto:``.

    Returns:
        True for a plain ``local@domain.tld`` address of at most 254 characters.
    """
    return len(address) <= 254 and _EMAIL.fullmatch(address) is not None


def _check_mailto(value: str) -> str:
    if not (value.startswith("mailto:") and is_email(value[len("mailto:") :])):
        raise ValueError(f"not a mailto: IRI with a plain e-mail address: {value!r}")
    return value


Mailto = Annotated[str, AfterValidator(_check_mailto)]
# ISO 8601 duration as xAPI uses it (PnYnMnDTnHnMnS, any part optional, seconds fractional).
_DURATION = re.compile(r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?")


def _check_duration(value: str) -> str:
    if not _DURATION.fullmatch(value):
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    return value


Duration = Annotated[str, AfterValidator(_check_duration)]
InteractionId = Annotated[str, StringConstraints(pattern=r"^\S+$")]


class _Strict(BaseModel):
    # Fields are declared in alphabetical order and every mapping is sorted when validated,
    # so pydantic's own serialiser writes sorted keys: canonical bytes without a second pass.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Account(_Strict):
    """An account on a system: for us, the LTI platform (issuer) and the user's ``sub``."""

    homePage: IRI  # noqa: N815 - xAPI property names are camelCase
    name: NonEmptyStr


class Agent(_Strict):
    """A person, identified by exactly one inverse functional identifier (xAPI 2.4.2.1)."""

    account: Account | None = None
    mbox: Mailto | None = None
    name: NonEmptyStr | None = None
    objectType: Literal["Agent"] = "Agent"  # noqa: N815

    @model_validator(mode="after")
    def _one_identifier(self) -> Agent:
        if (self.account is None) == (self.mbox is None):
            raise ValueError("an Agent needs exactly one of account or mbox")
        return self


class Verb(_Strict):
    """The action: an IRI with its display."""

    display: LanguageMap
    id: IRI


class InteractionComponent(_Strict):
    """One option of an interaction, e.g. one level of a likert scale."""

    description: LanguageMap | None = None
    id: InteractionId


class ActivityDefinition(_Strict):
    """What an activity is: its name, type and, for questions, its interaction."""

    description: LanguageMap | None = None
    extensions: Extensions | None = None
    interactionType: Literal["likert"] | None = None  # noqa: N815
    moreInfo: IRI | None = None  # noqa: N815
    name: LanguageMap | None = None
    scale: Annotated[list[InteractionComponent], Field(min_length=1)] | None = None
    type: IRI | None = None

    @model_validator(mode="after")
    def _scale_fits_interaction(self) -> ActivityDefinition:
        if self.scale is not None:
            if self.interactionType != "likert":
                raise ValueError("scale is only valid on a likert interaction")
            ids = [component.id for component in self.scale]
            if len(ids) != len(set(ids)):
                raise ValueError("scale ids must be unique")
        return self


class Activity(_Strict):
    """An activity, always with ``objectType`` spelled out."""

    definition: ActivityDefinition | None = None
    id: IRI
    objectType: Literal["Activity"] = "Activity"  # noqa: N815


ActivityList = Annotated[list[Activity], Field(min_length=1)]


class ContextActivities(_Strict):
    """Activities that give the statement its context, always as lists."""

    category: ActivityList | None = None
    grouping: ActivityList | None = None
    other: ActivityList | None = None
    parent: ActivityList | None = None


class Context(_Strict):
    """The statement's context: registration, related activities and extensions."""

    contextActivities: ContextActivities | None = None  # noqa: N815
    extensions: Extensions | None = None
    language: LanguageTag | None = None
    registration: UUID | None = None


class Result(_Strict):
    """The outcome. Deliberately has no ``score``."""

    completion: bool | None = None
    duration: Duration | None = None
    extensions: Extensions | None = None
    response: NonEmptyStr | None = None
    success: bool | None = None


class Statement(_Strict):
    """A complete statement as the tool sends it.

    ``timestamp`` must be timezone-aware UTC; it is kept to whole milliseconds so that the
    LRS's stored copy compares equal to ours.
    """

    _read_back: ClassVar[bool] = False

    actor: Agent
    context: Context | None = None
    id: UUID
    object: Activity
    result: Result | None = None
    timestamp: datetime
    verb: Verb

    @field_validator("timestamp")
    @classmethod
    def _utc_timestamp(cls, value: datetime) -> datetime:
        if cls._read_back and value.tzinfo is not None:
            value = as_utc(value)
        return require_utc(value)

    @field_serializer("timestamp", "stored", check_fields=False)
    def _format_timestamp(self, value: datetime) -> str:
        return format_timestamp(value)

    def to_json_bytes(self) -> bytes:
        """Serialise to the exact bytes stored in the outbox and sent to the LRS.

        Compact separators and sorted keys make the bytes a pure function of the content, so a
        retried enqueue of the same event produces identical bytes. (A value JSON cannot carry,
        such as NaN, is refused when the statement is built.)

        Returns:
            UTF-8 JSON.
        """
        return self.model_dump_json(exclude_none=True).encode("utf-8")

    @classmethod
    def from_json_bytes(cls, data: bytes | str) -> Statement:
        """Parse bytes produced by :meth:`to_json_bytes` back into a statement.

        Args:
            data: The JSON text.

        Returns:
            The statement.

        Raises:
            pydantic.ValidationError: If the JSON is not a statement this model allows.
        """
        return cls.model_validate_json(data)


class StoredStatement(Statement):
    """One of our statements as an LRS returns it, with the properties the LRS adds."""

    _read_back: ClassVar[bool] = True

    stored: datetime
    authority: dict[str, Any] | None = None
    version: Annotated[str, StringConstraints(pattern=r"^1\.0\.\d+$")] | None = None

    @field_validator("stored")
    @classmethod
    def _utc_stored(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("stored must be timezone-aware")
        return as_utc(value)
