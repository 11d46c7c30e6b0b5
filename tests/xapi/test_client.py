"""The LRS client against the real LRS, with a faulty proxy for what a healthy LRS won't do."""

from __future__ import annotations

import json
from uuid import uuid4

import httpx
import pytest

from tests.support.net import free_port
from tests.xapi import samples
from tests.xapi.faulty_proxy import FaultyProxy
from tests.xapi.lrs_server import AUTH, LearningLockerLRS
from xapi.client import LRSClient, Outgoing
from xapi.models import Statement

pytestmark = pytest.mark.lrs


def _client(endpoint: str, **options: float) -> LRSClient:
    return LRSClient(endpoint, username=AUTH[0], password=AUTH[1], **options)


def _out(statement: Statement) -> Outgoing:
    return Outgoing(str(statement.id), statement.to_json_bytes())


def _bad(statement_id: str | None = None) -> Outgoing:
    """A statement the LRS must refuse: its verb id is not an IRI."""
    statement_id = statement_id or str(uuid4())
    data = json.loads(samples.rating(uuid4()).to_json_bytes()) | {"id": statement_id}
    data["verb"]["id"] = "answered"
    return Outgoing(statement_id, json.dumps(data).encode())


def test_batch_is_delivered_with_basic_auth_and_version_header(proxy: FaultyProxy) -> None:
    batch = [_out(s) for s in samples.ratings(5)]
    with _client(proxy.endpoint) as client:
        outcomes = client.send(batch)
    assert {o.kind for o in outcomes.values()} == {"delivered"}
    assert set(outcomes) == {item.id for item in batch}
    assert proxy.accepted_counts() == {item.id: 1 for item in batch}
    assert proxy.versions == {"1.0.3"}
    assert proxy.authorizations == {"Basic c2VtaC10ZXN0OnNlbWgtdGVzdC1wYXNzd29yZA=="}


def test_one_connection_is_reused_across_batches(proxy: FaultyProxy) -> None:
    with _client(proxy.endpoint) as client:
        for statement in samples.ratings(6):
            assert client.send([_out(statement)])[str(statement.id)].kind == "delivered"
    assert (len(proxy.posts), proxy.connections) == (6, 1)


def test_identical_repost_is_delivered(lrs: LearningLockerLRS) -> None:
    item = _out(samples.rating(uuid4()))
    with _client(lrs.endpoint) as client:
        assert client.send([item])[item.id].kind == "delivered"
        assert client.send([item])[item.id].kind == "delivered"
    assert lrs.stored(item.id)["id"] == item.id


def test_409_for_identical_content_counts_as_delivered(proxy: FaultyProxy) -> None:
    """Some LRSs answer 409 to any re-POST of a known id; we check what they hold."""
    item = _out(samples.rating(uuid4()))
    with _client(proxy.endpoint) as client:
        assert client.send([item])[item.id].kind == "delivered"
        proxy.fail_next(1, status=409)
        outcome = client.send([item])[item.id]
    assert outcome.kind == "delivered"


def test_409_for_different_content_is_dead_with_the_lrs_reason(lrs: LearningLockerLRS) -> None:
    registration = uuid4()
    first = samples.rating(registration, 0)
    changed = samples.rating(registration, 0, level=samples.SCALE[0])
    assert first.id == changed.id
    with _client(lrs.endpoint) as client:
        assert client.send([_out(first)])[str(first.id)].kind == "delivered"
        outcome = client.send([_out(changed)])[str(changed.id)]
    assert outcome.kind == "dead"
    assert outcome.reason.startswith("HTTP 409: ")
    assert "is conflicting" in outcome.reason and "different content" in outcome.reason


def test_a_rejected_statement_in_a_batch_is_isolated_and_the_rest_delivered(
    proxy: FaultyProxy, lrs: LearningLockerLRS
) -> None:
    good = [_out(s) for s in samples.ratings(4)]
    bad = _bad()
    with _client(proxy.endpoint) as client:
        outcomes = client.send([good[0], good[1], bad, good[2], good[3]])
    assert outcomes[bad.id].kind == "dead"
    assert outcomes[bad.id].reason.startswith("HTTP 400: ")
    assert "verb.id" in outcomes[bad.id].reason
    assert all(outcomes[item.id].kind == "delivered" for item in good)
    # One refused batch, then each statement alone.
    assert proxy.posts == [400, 200, 200, 400, 200, 200]
    assert lrs.stored(good[3].id) is not None
    assert lrs.stored(bad.id) is None


def test_the_lrs_reason_is_truncated_sensibly(proxy: FaultyProxy) -> None:
    data = json.loads(_bad().payload)
    data["verb"]["id"] = "x" * 5000
    item = Outgoing(data["id"], json.dumps(data).encode())
    with _client(proxy.endpoint) as client:
        reason = client.send([item])[item.id].reason
    assert reason.startswith("HTTP 400") and len(reason) <= 500 and reason.endswith("…")


@pytest.mark.parametrize("status", [500, 502, 503, 429, 401])
def test_server_errors_throttling_and_auth_failures_are_retried(
    proxy: FaultyProxy, status: int
) -> None:
    batch = [_out(s) for s in samples.ratings(3)]
    proxy.fail_next(1, status=status)
    with _client(proxy.endpoint) as client:
        outcomes = client.send(batch)
    assert {o.kind for o in outcomes.values()} == {"retry"}
    assert all(o.reason == f"HTTP {status}: injected fault" for o in outcomes.values())
    assert proxy.accepted == []


def test_a_timeout_is_retried_even_though_the_lrs_stored_the_batch(proxy: FaultyProxy) -> None:
    batch = [_out(s) for s in samples.ratings(2)]
    proxy.delay_next(1, seconds=3)
    with _client(proxy.endpoint, read_timeout=0.5) as client:
        outcomes = client.send(batch)
        assert {o.kind for o in outcomes.values()} == {"retry"}
        assert "ReadTimeout" in outcomes[batch[0].id].reason
        # The retry of the very same bytes is accepted again: the LRS is idempotent by id.
        assert {o.kind for o in client.send(batch).values()} == {"delivered"}
    assert proxy.accepted_counts() == {item.id: 2 for item in batch}


def test_connection_refused_is_retried() -> None:
    item = _out(samples.rating(uuid4()))
    with _client(f"http://127.0.0.1:{free_port()}/xAPI/", connect_timeout=1) as client:
        outcome = client.send([item])[item.id]
    assert outcome.kind == "retry"
    assert outcome.reason.startswith("ConnectError")


def test_isolation_stops_when_the_lrs_starts_failing(proxy: FaultyProxy) -> None:
    batch = [_out(s) for s in samples.ratings(3)] + [_bad()]
    proxy.fail_next(1, status=400)  # the batch
    proxy.fail_next(1, status=503)  # the first single resend: the LRS is going down
    with _client(proxy.endpoint) as client:
        outcomes = client.send(batch)
    assert {o.kind for o in outcomes.values()} == {"retry"}
    assert len(proxy.posts) == 2


def test_retry_after_is_passed_on() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "7"}, json={"message": "busy"})

    client = LRSClient("https://lrs.example.org/xAPI/", transport=httpx.MockTransport(answer))
    item = _out(samples.rating(uuid4()))
    outcome = client.send([item])[item.id]
    assert (outcome.kind, outcome.retry_after, outcome.reason) == ("retry", 7.0, "HTTP 503: busy")


def test_about_reports_the_lrs_versions(lrs: LearningLockerLRS) -> None:
    with _client(lrs.endpoint) as client:
        assert "1.0.3" in client.about()["version"]
