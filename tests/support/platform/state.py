"""The platform's in-memory state, shared by the server's threads and the test."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tests.support.platform.keys import KeyPair
from tests.support.platform.model import (
    Context,
    DeepLinkResponse,
    DeepLinkSession,
    DynamicRegistrationRecord,
    IssuedLaunch,
    LaunchSpec,
    LineItem,
    Member,
    RegistrationToken,
    Result,
    ScoreRecord,
    ToolRegistration,
    User,
)


def number(value: float) -> float | int:
    """``100`` rather than ``100.0`` for whole numbers, as Moodle writes them."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class PlatformUrls:
    """Every URL the platform serves, on Moodle's paths (a tool may derive them as for Moodle)."""

    issuer: str

    @property
    def jwks(self) -> str:
        return f"{self.issuer}/mod/lti/certs.php"

    @property
    def auth(self) -> str:
        return f"{self.issuer}/mod/lti/auth.php"

    @property
    def token(self) -> str:
        return f"{self.issuer}/mod/lti/token.php"

    @property
    def registration(self) -> str:
        return f"{self.issuer}/mod/lti/openid-registration.php"

    def openid_configuration(self, legacy: bool = False) -> str:
        base = f"{self.issuer}/mod/lti/openid-configuration.php"
        return f"{base}?shape=legacy" if legacy else base

    def launch(self, launch_id: str) -> str:
        return f"{self.issuer}/launch/{launch_id}"

    def frame(self, launch_id: str) -> str:
        return f"{self.issuer}/course/frame/{launch_id}"

    def deep_link_return(self, dl_id: str) -> str:
        return f"{self.issuer}/mod/lti/contentitem_return.php?{urlencode({'dl': dl_id})}"

    def launch_return(self, launch_id: str) -> str:
        return f"{self.issuer}/mod/lti/return.php?{urlencode({'launch': launch_id})}"

    @property
    def services(self) -> str:
        return f"{self.issuer}/mod/lti/services.php"

    def lineitems(self, context_id: str, type_id: int) -> str:
        return f"{self.services}/{context_id}/lineitems?type_id={type_id}"

    def lineitem_path(self, context_id: str, lineitem_id: int) -> str:
        return f"{self.services}/{context_id}/lineitems/{lineitem_id}/lineitem"

    def lineitem(self, context_id: str, lineitem_id: int, type_id: int) -> str:
        return f"{self.lineitem_path(context_id, lineitem_id)}?type_id={type_id}"

    def memberships(self, context_id: str, type_id: int) -> str:
        return f"{self.services}/CourseSection/{context_id}/bindings/{type_id}/memberships"


@dataclass
class PlatformState:
    """Everything the platform stores. Hold ``lock`` while reading or changing it."""

    urls: PlatformUrls
    keys: list[KeyPair]
    rogue_key: KeyPair
    lock: threading.RLock = field(default_factory=threading.RLock)
    tools: dict[str, ToolRegistration] = field(default_factory=dict)
    next_type_id: int = 1
    launches: dict[str, LaunchSpec] = field(default_factory=dict)
    resource_links: set[tuple[str, str, str]] = field(default_factory=set)
    hints: dict[str, str] = field(default_factory=dict)
    issued: list[IssuedLaunch] = field(default_factory=list)
    auth_errors: list[str] = field(default_factory=list)
    contexts: dict[str, Context] = field(default_factory=dict)
    members: dict[str, dict[str, Member]] = field(default_factory=dict)
    lineitems: dict[int, LineItem] = field(default_factory=dict)
    next_lineitem_id: int = 1
    results: dict[tuple[int, str], Result] = field(default_factory=dict)
    scores: list[ScoreRecord] = field(default_factory=list)
    deep_link_sessions: dict[str, DeepLinkSession] = field(default_factory=dict)
    deep_link_responses: list[DeepLinkResponse] = field(default_factory=list)
    deep_link_errors: list[str] = field(default_factory=list)
    registration_tokens: dict[str, RegistrationToken] = field(default_factory=dict)
    registrations: list[DynamicRegistrationRecord] = field(default_factory=list)
    used_jtis: set[str] = field(default_factory=set)
    token_requests: list[dict[str, object]] = field(default_factory=list)
    service_errors: list[str] = field(default_factory=list)
    returns: list[dict[str, str]] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    services_down: bool = False
    reject_stale_scores: bool = False

    @property
    def signing_key(self) -> KeyPair:
        return self.keys[-1]

    def add_tool(self, tool: ToolRegistration) -> None:
        with self.lock:
            self.tools[tool.client_id] = tool
            self.next_type_id = max(self.next_type_id, tool.type_id + 1)

    def take_type_id(self) -> int:
        with self.lock:
            type_id = self.next_type_id
            self.next_type_id += 1
            return type_id

    def tool_by_type_id(self, type_id: int) -> ToolRegistration | None:
        with self.lock:
            return next((t for t in self.tools.values() if t.type_id == type_id), None)

    def enrol(self, context: Context, user: User, roles: list[str]) -> None:
        with self.lock:
            self.contexts.setdefault(context.id, context)
            roster = self.members.setdefault(context.id, {})
            roster[user.sub] = Member(user=user, roles=list(roles))

    def add_lineitem(self, item: LineItem) -> LineItem:
        with self.lock:
            item.id = self.next_lineitem_id
            self.next_lineitem_id += 1
            self.lineitems[item.id] = item
            return item

    def lineitem_for_link(self, context_id: str, client_id: str, link_id: str) -> LineItem | None:
        with self.lock:
            return next(
                (
                    item
                    for item in self.lineitems.values()
                    if item.context_id == context_id
                    and item.client_id == client_id
                    and item.resource_link_id == link_id
                ),
                None,
            )

    def lineitem_json(self, item: LineItem) -> dict[str, object]:
        """A line item as the AGS service serves it (Moodle's field set)."""
        tool = self.tools.get(item.client_id)
        type_id = tool.type_id if tool else 0
        out: dict[str, object] = {
            "id": self.urls.lineitem(item.context_id, item.id, type_id),
            "label": item.label,
            "scoreMaximum": number(item.score_maximum),
            "resourceId": item.resource_id,
            "tag": item.tag,
        }
        if item.resource_link_id is not None:
            out["resourceLinkId"] = item.resource_link_id
            out["ltiLinkId"] = item.resource_link_id
        if item.start_date_time:
            out["startDateTime"] = item.start_date_time
        if item.end_date_time:
            out["endDateTime"] = item.end_date_time
        return out
