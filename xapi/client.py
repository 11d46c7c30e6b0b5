"""HTTP transport to an LRS, and the classification of what became of each statement.

One :class:`LRSClient` holds one ``httpx.Client`` so connections are reused across batches.
It sends the exact stored bytes (never re-serialising) and turns every answer into an
:class:`Outcome` per statement id:

* 200 and 204: delivered.
* 409 Conflict on a single statement: delivered only if the LRS's copy holds the content we
  set (``GET /statements?statementId=…``), otherwise dead.
* any other 4xx: dead, with the LRS's reason. A 4xx for a batch is not blamed on every
  statement in it: the batch is re-sent one statement at a time to isolate the bad ones.
* 5xx, timeouts, connection and other request errors: retry later. So are 401, 403, 404, 405
  and 407 (the endpoint or credentials are wrong, which is no fault of any statement), 408,
  425 and 429.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpx

from xapi.compare import same_content
from xapi.errors import LRSError
from xapi.settings import XapiSettings
from xapi.timeutil import utc_now

XAPI_VERSION = "1.0.3"
_RETRYABLE_4XX = {401, 403, 404, 405, 407, 408, 425, 429}
_REASON_LIMIT = 500

OutcomeKind = Literal["delivered", "retry", "dead"]


@dataclass(frozen=True)
class Outgoing:
    """One statement to send: its id and the exact bytes stored for it."""

    id: str
    payload: bytes


@dataclass(frozen=True)
class Outcome:
    """What became of one statement.

    Attributes:
        kind: ``delivered``, ``retry`` (try again later) or ``dead`` (never resend as is).
        reason: Why, for retry and dead; shown by ``xapi status`` and stored as last_error.
        retry_after: Seconds the LRS asked us to wait (``Retry-After``), if it did.
    """

    kind: OutcomeKind
    reason: str | None = None
    retry_after: float | None = None


class LRSClient:
    """A connection-reusing client for one LRS's statement resource.

    Args:
        endpoint: The LRS's xAPI base URL (``…/xAPI/``); ``statements`` is resolved under it.
        username: HTTP basic auth user, or None for no auth.
        password: HTTP basic auth password.
        connect_timeout: Seconds to establish a connection.
        read_timeout: Seconds to wait for an answer.
        transport: An httpx transport to use instead of the network (for tests).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        username: str | None = None,
        password: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.endpoint = httpx.URL(endpoint if endpoint.endswith("/") else endpoint + "/")
        self.statements_url = self.endpoint.join("statements")
        auth = httpx.BasicAuth(username, password or "") if username is not None else None
        self.http = httpx.Client(
            auth=auth,
            headers={"X-Experience-API-Version": XAPI_VERSION},
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout, pool=connect_timeout),
            transport=transport,
        )

    @classmethod
    def from_settings(cls, settings: XapiSettings) -> LRSClient | None:
        """Build the client the settings describe.

        Args:
            settings: The configuration.

        Returns:
            A client, or None when no LRS is configured.
        """
        if settings.lrs_endpoint is None:
            return None
        return cls(
            settings.lrs_endpoint,
            username=settings.lrs_username,
            password=settings.lrs_password,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
        )

    def __enter__(self) -> LRSClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()

    def send(self, batch: Sequence[Outgoing]) -> dict[str, Outcome]:
        """POST a batch of statements and classify the result for each.

        Args:
            batch: The statements, in the order to send them.

        Returns:
            An outcome for every statement id in ``batch``.
        """
        if not batch:
            return {}
        try:
            response = self._post(batch)
        except httpx.RequestError as exc:
            return _all(batch, Outcome("retry", transport_reason(exc)))
        status = response.status_code
        if status in (200, 204):
            return _all(batch, Outcome("delivered"))
        if not 400 <= status < 500 or status in _RETRYABLE_4XX:
            return _all(batch, Outcome("retry", response_reason(response), _retry_after(response)))
        if len(batch) > 1:
            return self._isolate(batch)
        if status == 409:
            return {batch[0].id: self._resolve_conflict(batch[0], response)}
        return {batch[0].id: Outcome("dead", response_reason(response))}

    def get_statement(self, statement_id: str) -> dict[str, Any] | None:
        """Fetch one statement by id.

        Args:
            statement_id: The statement's UUID.

        Returns:
            The statement as the LRS holds it, or None if the LRS has none with this id.

        Raises:
            LRSError: If the LRS cannot be reached or answers with an error.
        """
        try:
            response = self.http.get(self.statements_url, params={"statementId": statement_id})
        except httpx.RequestError as exc:
            raise LRSError(transport_reason(exc)) from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise LRSError(response_reason(response))
        try:
            data = response.json()
        except ValueError:
            raise LRSError("the LRS answered with something other than JSON") from None
        if not isinstance(data, dict):
            raise LRSError("the LRS answered with something other than a statement")
        return data

    def about(self) -> dict[str, Any]:
        """Ask the LRS's ``/about`` resource which xAPI versions it speaks.

        Returns:
            The parsed answer.

        Raises:
            LRSError: If the LRS cannot be reached or answers with an error.
        """
        try:
            response = self.http.get(self.endpoint.join("about"))
        except httpx.RequestError as exc:
            raise LRSError(transport_reason(exc)) from None
        if response.status_code != 200:
            raise LRSError(response_reason(response))
        try:
            data = response.json()
        except ValueError:
            raise LRSError("the LRS's /about answered with something other than JSON") from None
        return data if isinstance(data, dict) else {"answer": data}

    def _post(self, batch: Sequence[Outgoing]) -> httpx.Response:
        body = b"[" + b",".join(item.payload for item in batch) + b"]"
        return self.http.post(
            self.statements_url, content=body, headers={"Content-Type": "application/json"}
        )

    def _isolate(self, batch: Sequence[Outgoing]) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        for index, item in enumerate(batch):
            outcome = self.send([item])[item.id]
            outcomes[item.id] = outcome
            if outcome.kind == "retry":
                # The LRS is failing now; leave the rest for the next attempt rather than
                # waiting out a timeout for each of them.
                for rest in batch[index + 1 :]:
                    outcomes[rest.id] = Outcome("retry", outcome.reason, outcome.retry_after)
                break
        return outcomes

    def _resolve_conflict(self, item: Outgoing, response: httpx.Response) -> Outcome:
        try:
            held = self.get_statement(item.id)
        except LRSError as exc:
            return Outcome("retry", f"HTTP 409 Conflict; reading the LRS's copy failed: {exc}")
        conflict = response_reason(response)
        if held is None:
            return Outcome("dead", f"{conflict}; and the LRS returns no statement with this id")
        if same_content(json.loads(item.payload), held):
            return Outcome("delivered")
        return Outcome("dead", f"{conflict}; the LRS holds different content under this id")


def _all(batch: Sequence[Outgoing], outcome: Outcome) -> dict[str, Outcome]:
    return {item.id: outcome for item in batch}


def transport_reason(exc: httpx.RequestError) -> str:
    """Describe a failed request (connection, timeout, protocol) in one line.

    Args:
        exc: The httpx error.

    Returns:
        E.g. ``ConnectError: [Errno 111] Connection refused``.
    """
    detail = str(exc) or "no detail"
    return _truncate(f"{type(exc).__name__}: {detail}")


def response_reason(response: httpx.Response) -> str:
    """Describe an LRS's error answer in one line, with its own reason text, truncated.

    Args:
        response: The LRS's answer.

    Returns:
        E.g. ``HTTP 400: Problem in 'statements.0.verb.id'``.
    """
    detail = response.reason_phrase or ""
    try:
        data = response.json()
    except ValueError:
        text = response.text.strip()
        if text:
            detail = text
    else:
        if isinstance(data, dict):
            parts = [data.get("message"), *(data.get("warnings") or [])]
            found = "; ".join(str(part) for part in parts if part)
            detail = found or json.dumps(data)
        elif data is not None:
            detail = json.dumps(data)
    return _truncate(f"HTTP {response.status_code}: {detail}")


def _truncate(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= _REASON_LIMIT:
        return text
    return text[: _REASON_LIMIT - 1] + "…"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - utc_now()).total_seconds())
