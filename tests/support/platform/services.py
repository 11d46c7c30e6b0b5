"""AGS and NRPS: lti1p3platform's service classes over the platform's in-memory gradebook."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from lti1p3platform.exceptions import LineItemNotFoundException
from lti1p3platform.lineitem import TLineItem
from lti1p3platform.membership import Context as NrpsContext
from lti1p3platform.request import Request
from lti1p3platform.score import TScore, UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
    TPage,
)

from tests.support.platform.lti import PlatformConf
from tests.support.platform.model import LineItem, Result, ToolRegistration
from tests.support.platform.roles import nrps_role, role_uri
from tests.support.platform.runtime import Runtime
from tests.support.platform.state import number

ACTIVITY_PROGRESS = {"Initialized", "Started", "InProgress", "Submitted", "Completed"}
GRADING_PROGRESS = {"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"}


def paginate(items: list[Any], page: Any = 1, limit: Any = None) -> TPage:
    """One page of ``items`` in lti1p3platform's page shape."""
    size = limit if isinstance(limit, int) and limit > 0 else 0
    if not size:
        return {"content": items, "has_next": False, "next": None}
    first = (max(page, 1) - 1) * size if isinstance(page, int) else 0
    return {
        "content": items[first : first + size],
        "has_next": first + size < len(items),
        "next": None,
    }


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO 8601 timestamp with a UTC offset, or None if ``value`` is not one."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def score_problem(body: Any) -> str | None:
    """Why a score body breaks the AGS score schema, or None (lti1p3platform does not check)."""
    if not isinstance(body, dict):
        return "the score must be a JSON object"
    checks = {
        "userId must be a non-empty string": not (
            isinstance(body.get("userId"), str) and body["userId"]
        ),
        "activityProgress is missing or unknown": body.get("activityProgress")
        not in ACTIVITY_PROGRESS,
        "gradingProgress is missing or unknown": body.get("gradingProgress")
        not in GRADING_PROGRESS,
        "timestamp must be ISO 8601 with a UTC offset": parse_timestamp(body.get("timestamp"))
        is None,
        "scoreGiven must be a number >= 0": "scoreGiven" in body
        and not (_is_number(body["scoreGiven"]) and body["scoreGiven"] >= 0),
        "scoreMaximum must be a number > 0": ("scoreGiven" in body or "scoreMaximum" in body)
        and not (_is_number(body.get("scoreMaximum")) and body["scoreMaximum"] > 0),
        "comment must be a string": "comment" in body
        and not isinstance(body["comment"], str | None),
    }
    return next((text for text, failed in checks.items() if failed), None)


def lineitem_problem(body: Any, *, partial: bool = False) -> str | None:
    """Why a line item body is unacceptable (Moodle requires a label and a positive maximum)."""
    if not isinstance(body, dict):
        return "the line item must be a JSON object"
    if (not partial or "label" in body) and not (
        isinstance(body.get("label"), str) and body["label"].strip()
    ):
        return "label must be a non-empty string"
    if (not partial or "scoreMaximum" in body) and not (
        _is_number(body.get("scoreMaximum")) and body["scoreMaximum"] > 0
    ):
        return "scoreMaximum must be a number > 0"
    return None


class PlatformAGS(AssignmentsGradesService):
    """Line items, scores and results of one tool in one course."""

    def __init__(
        self,
        request: Request,
        conf: PlatformConf,
        *,
        runtime: Runtime,
        context_id: str,
        tool: ToolRegistration,
    ) -> None:
        super().__init__(request, conf, runtime.state.urls.lineitems(context_id, tool.type_id))
        self._rt = runtime
        self._ctx = context_id
        self._tool = tool

    def _items(self) -> list[LineItem]:
        with self._rt.state.lock:
            return sorted(
                (
                    item
                    for item in self._rt.state.lineitems.values()
                    if item.context_id == self._ctx and item.client_id == self._tool.client_id
                ),
                key=lambda item: item.id,
            )

    def _get(self, line_item_id: Any) -> LineItem:
        item = next((i for i in self._items() if str(i.id) == str(line_item_id)), None)
        if item is None:
            raise LineItemNotFoundException(f"no line item {line_item_id}")
        return item

    def _json(self, item: LineItem) -> TLineItem:
        with self._rt.state.lock:
            return cast(TLineItem, self._rt.state.lineitem_json(item))

    def find_lineitems(
        self,
        page: int = 1,
        limit: int | None = None,
        line_item_id: str | None = None,
        resource_link_id: str | None = None,
        resource_id: str | None = None,
        tag: str | None = None,
        **_ignored: Any,
    ) -> TPage:
        wanted = {"resource_link_id": resource_link_id, "resource_id": resource_id, "tag": tag}
        items = [
            self._json(item)
            for item in self._items()
            if all(value is None or getattr(item, key) == value for key, value in wanted.items())
        ]
        return paginate(items, page, limit)

    def find_lineitem(self, line_item_id: str) -> TLineItem:
        return self._json(self._get(line_item_id))

    def create_lineitem(self, creation_data: TLineItem) -> TLineItem:
        data = cast(dict[str, Any], creation_data)
        link = data.get("resourceLinkId")
        item = LineItem(
            0,
            self._ctx,
            self._tool.client_id,
            str(data["label"]),
            float(data["scoreMaximum"]),
            str(data.get("resourceId", "")),
            str(data.get("tag", "")),
            str(link) if link is not None else None,
            data.get("startDateTime"),
            data.get("endDateTime"),
        )
        return self._json(self._rt.state.add_lineitem(item))

    def update_lineitem(self, update_data: TLineItem) -> TLineItem:
        data = cast(dict[str, Any], update_data)
        item = self._get(data["id"])
        fields = {
            "label": "label",
            "scoreMaximum": "score_maximum",
            "resourceId": "resource_id",
            "tag": "tag",
            "startDateTime": "start_date_time",
            "endDateTime": "end_date_time",
        }
        with self._rt.state.lock:
            for key, attr in fields.items():
                if key in data:
                    value = data[key]
                    setattr(item, attr, float(value) if attr == "score_maximum" else value)
        return self._json(item)

    def delete_lineitem(self, line_item_id: str) -> None:
        item = self._get(line_item_id)
        with self._rt.state.lock:
            del self._rt.state.lineitems[item.id]
            for key in [k for k in self._rt.state.results if k[0] == item.id]:
                del self._rt.state.results[key]

    def update_score(self, line_item_id: str, score: TScore) -> UpdateScoreStatus:
        item = self._get(line_item_id)
        body = cast(dict[str, Any], score)
        stamp = parse_timestamp(body["timestamp"])
        assert stamp is not None
        key = (item.id, body["userId"])
        state = self._rt.state
        with state.lock:
            previous = state.results.get(key)
            if state.reject_stale_scores and previous is not None:
                before = parse_timestamp(previous.timestamp)
                # Moodle keeps whole seconds: a later score within the same second is stale too
                if before is not None and int(stamp.timestamp()) <= int(before.timestamp()):
                    return UpdateScoreStatus.OLD_TIMESTAMP
            given = body.get("scoreGiven")
            scaled = None
            if given is not None:
                scaled = float(given) / float(body["scoreMaximum"]) * item.score_maximum
            state.results[key] = Result(
                item.id,
                body["userId"],
                scaled,
                item.score_maximum,
                body.get("comment"),
                body["timestamp"],
                body["activityProgress"],
                body["gradingProgress"],
            )
        return UpdateScoreStatus.SUCCESS

    def get_results(
        self,
        line_item_id: str,
        page: int = 1,
        limit: int | None = None,
        user_id: str | None = None,
        **_ignored: Any,
    ) -> TPage:
        item = self._get(line_item_id)
        urls, type_id = self._rt.state.urls, self._tool.type_id
        with self._rt.state.lock:
            results = [
                r
                for k, r in sorted(self._rt.state.results.items())
                if k[0] == item.id and (user_id is None or r.user_id == user_id)
            ]
        path = urls.lineitem_path(item.context_id, item.id)
        out = []
        for r in results:
            entry: dict[str, Any] = {
                "id": f"{path}/results?type_id={type_id}&user_id={r.user_id}",
                "userId": r.user_id,
                "resultMaximum": number(r.result_maximum),
                "scoreOf": urls.lineitem(item.context_id, item.id, type_id),
                "timestamp": r.timestamp,
            }
            if r.result_score is not None:
                entry["resultScore"] = number(r.result_score)
            if r.comment is not None:
                entry["comment"] = r.comment
            out.append(entry)
        return paginate(out, page, limit)


class PlatformNRPS(NamesRoleProvisioningService):
    """The course roster one tool may read."""

    def __init__(
        self,
        request: Request,
        conf: PlatformConf,
        *,
        runtime: Runtime,
        context_id: str,
        tool: ToolRegistration,
    ) -> None:
        super().__init__(request, conf, runtime.state.urls.memberships(context_id, tool.type_id))
        self._rt = runtime
        self._ctx = context_id
        self._tool = tool

    def get_member_data_page(
        self,
        page: int = 1,
        limit: int | None = None,
        role: str | None = None,
        since: str | None = None,
        **_ignored: Any,
    ) -> TPage:
        with self._rt.state.lock:
            roster = list(self._rt.state.members.get(self._ctx, {}).values())
        wanted = role_uri(role) if role else None
        members = []
        for member in roster:
            uris = [role_uri(r) for r in member.roles]
            if wanted and wanted not in uris:
                continue
            user = member.user
            entry: dict[str, Any] = {
                "status": member.status,
                "roles": [nrps_role(u) for u in uris],
                "user_id": user.sub,
            }
            optional = {
                "lis_person_sourcedid": user.person_sourcedid,
                "name": user.name,
                "given_name": user.given_name,
                "family_name": user.family_name,
                "email": user.email,
                "ext_user_username": user.username,
            }
            entry.update({k: v for k, v in optional.items() if v})
            members.append(entry)
        return paginate(members, page, limit)

    def get_context_by_id(self) -> NrpsContext:
        with self._rt.state.lock:
            ctx = self._rt.state.contexts.get(self._ctx)
        if ctx is None:
            return NrpsContext(id=self._ctx, label="", title="")
        return NrpsContext(id=ctx.id, label=ctx.label, title=ctx.title)

    def is_resource_link_valid(self, context_id: str, resource_link_id: str) -> bool:
        with self._rt.state.lock:
            return (context_id, self._tool.client_id, resource_link_id) in (
                self._rt.state.resource_links
            )
