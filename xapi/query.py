"""Reading statements back from an LRS: paging through ``more`` and filtering on our side.

The filters are sent to the LRS (so a conformant one returns less) and applied again here,
because some LRSs ignore ``verb``/``activity`` or filter ``since``/``until`` on ``timestamp``
rather than ``stored``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import httpx

from xapi.client import LRSClient, response_reason, transport_reason
from xapi.errors import LRSError
from xapi.models import StoredStatement
from xapi.timeutil import as_utc, format_timestamp

_ACTIVITY_LISTS = ("parent", "grouping", "category", "other")


@dataclass(frozen=True)
class StatementFilter:
    """Which statements to read.

    Attributes:
        verb: Only this verb IRI.
        activity: Only statements whose object is this activity, or (with
            ``related_activities``) that name it in ``context.contextActivities``.
        related_activities: Also match the activity in context activities.
        registration: Only this registration.
        since: Only statements after this instant (exclusive, as in xAPI); timezone-aware.
        until: Only statements at or before this instant; timezone-aware.
        time_field: Which time ``since``/``until`` apply to: ``stored`` (the xAPI meaning)
            or ``timestamp``.
    """

    verb: str | None = None
    activity: str | None = None
    related_activities: bool = True
    registration: UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    time_field: Literal["stored", "timestamp"] = "stored"

    def params(self) -> dict[str, str]:
        """Return the xAPI query parameters for the parts an LRS can filter on."""
        params: dict[str, str] = {}
        if self.verb:
            params["verb"] = self.verb
        if self.activity:
            params["activity"] = self.activity
            if self.related_activities:
                params["related_activities"] = "true"
        if self.registration:
            params["registration"] = str(self.registration)
        # An LRS's since/until mean `stored`; sent for `timestamp` they could drop matches.
        if self.time_field == "stored":
            if self.since:
                params["since"] = format_timestamp(_aware(self.since))
            if self.until:
                params["until"] = format_timestamp(_aware(self.until))
        return params

    def matches(self, statement: dict[str, Any]) -> bool:
        """Tell whether one statement (as JSON) passes every filter.

        Args:
            statement: The statement as the LRS returned it.

        Returns:
            True when it matches.
        """
        if self.verb and (statement.get("verb") or {}).get("id") != self.verb:
            return False
        context = statement.get("context") or {}
        if self.registration and not _same_uuid(context.get("registration"), self.registration):
            return False
        if self.activity and self.activity not in _activity_ids(statement, self.related_activities):
            return False
        return self._in_time_window(statement.get(self.time_field))

    def _in_time_window(self, value: object) -> bool:
        if self.since is None and self.until is None:
            return True
        if not isinstance(value, str):
            return False
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return False
        if when.tzinfo is None:
            return False
        when = as_utc(when)
        if self.since is not None and when <= _aware(self.since):
            return False
        return self.until is None or when <= _aware(self.until)


class LRSReader:
    """Pages through an LRS's statements, reusing an :class:`LRSClient`'s connection.

    Args:
        client: The LRS client (its endpoint, credentials and timeouts are used).
        page_size: Statements asked for per page (``limit``).
        max_pages: Hard bound on pages read in one query.
    """

    def __init__(self, client: LRSClient, *, page_size: int = 100, max_pages: int = 1000) -> None:
        if page_size < 1 or max_pages < 1:
            raise ValueError("page_size and max_pages must be positive")
        self.client = client
        self.page_size = page_size
        self.max_pages = max_pages

    def statements(self, where: StatementFilter | None = None) -> Iterator[dict[str, Any]]:
        """Yield every matching statement as a dict, in the LRS's order.

        Args:
            where: The filter; everything when None.

        Yields:
            Statements as the LRS returned them.

        Raises:
            LRSError: If the LRS fails, sends a page that is not a StatementResult, points
                ``more`` at another origin, or there are more than ``max_pages`` pages.
        """
        where = where or StatementFilter()
        url: httpx.URL | None = self.client.statements_url.copy_merge_params(
            {**where.params(), "limit": str(self.page_size)}
        )
        seen: set[str] = set()
        pages = 0
        while url is not None:
            if pages == self.max_pages:
                raise LRSError(f"stopped after {pages} pages of statements; narrow the query")
            pages += 1
            page = self._get(url)
            for statement in page["statements"]:
                if isinstance(statement, dict) and where.matches(statement):
                    yield statement
            url = self._next(page.get("more"), seen)

    def stored_statements(self, where: StatementFilter | None = None) -> Iterator[StoredStatement]:
        """Yield matching statements parsed into :class:`~xapi.models.StoredStatement`.

        Meant for reading the tool's own statements back: a statement of another shape
        (e.g. one with a score) is an error, not silently skipped.

        Args:
            where: The filter; everything when None.

        Yields:
            Parsed statements.

        Raises:
            LRSError: As :meth:`statements`, or when a statement does not parse.
        """
        for statement in self.statements(where):
            try:
                yield StoredStatement.model_validate(statement)
            except ValueError as exc:
                raise LRSError(
                    f"statement {statement.get('id')} is not one of ours: {exc}"
                ) from None

    def _get(self, url: httpx.URL) -> dict[str, Any]:
        try:
            response = self.client.http.get(url)
        except httpx.RequestError as exc:
            raise LRSError(transport_reason(exc)) from None
        if response.status_code != 200:
            raise LRSError(response_reason(response))
        try:
            page = response.json()
        except ValueError:
            raise LRSError(
                "the LRS answered a statement query with something other than JSON"
            ) from None
        if not isinstance(page, dict) or not isinstance(page.get("statements"), list):
            raise LRSError("the LRS answered a statement query without a statements list")
        return page

    def _next(self, more: object, seen: set[str]) -> httpx.URL | None:
        if not more or not isinstance(more, str):
            return None
        # `more` is an IRL: usually a path relative to the LRS's origin, sometimes absolute.
        url = self.client.endpoint.join(more)
        if (url.scheme, url.host, url.port) != (
            self.client.endpoint.scheme,
            self.client.endpoint.host,
            self.client.endpoint.port,
        ):
            raise LRSError(
                f"the LRS's 'more' link leaves its origin ({url.host}); not following"
                " it with our credentials"
            )
        if str(url) in seen:
            raise LRSError("the LRS's 'more' link repeats itself")
        seen.add(str(url))
        return url


def _activity_ids(statement: dict[str, Any], related: bool) -> set[str]:
    ids = set()
    obj = statement.get("object") or {}
    if isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity" and obj.get("id"):
        ids.add(obj["id"])
    if related:
        activities = (statement.get("context") or {}).get("contextActivities") or {}
        for name in _ACTIVITY_LISTS:
            value = activities.get(name) or []
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and item.get("id"):
                    ids.add(item["id"])
    return ids


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("since and until must be timezone-aware datetimes")
    return as_utc(value)


def _same_uuid(value: object, expected: UUID) -> bool:
    try:
        return isinstance(value, str) and UUID(value) == expected
    except ValueError:
        return False
