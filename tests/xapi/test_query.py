"""Reading statements back: paging through the real LRS, and filtering on our side."""

from __future__ import annotations

import json
from datetime import timedelta
from uuid import uuid4

import httpx
import pytest

from tests.xapi import samples
from tests.xapi.lrs_server import AUTH, LearningLockerLRS
from xapi.client import LRSClient, Outgoing
from xapi.errors import LRSError
from xapi.models import StoredStatement
from xapi.query import LRSReader, StatementFilter
from xapi.vocabulary import Verbs, Vocabulary


@pytest.fixture(scope="module")
def delivered(lrs: LearningLockerLRS):
    """Every kind of statement plus 20 ratings, sharing one registration, in the real LRS."""
    registration = uuid4()
    kinds = samples.every_kind(registration)
    ratings = samples.ratings(20, registration, start=len(samples.COMPETENCIES))
    sent = [*kinds.values(), *ratings]
    with LRSClient(lrs.endpoint, username=AUTH[0], password=AUTH[1]) as client:
        outcomes = client.send([Outgoing(str(s.id), s.to_json_bytes()) for s in sent])
    assert {o.kind for o in outcomes.values()} == {"delivered"}
    return registration, kinds, ratings


@pytest.fixture
def reader(lrs: LearningLockerLRS):
    with LRSClient(lrs.endpoint, username=AUTH[0], password=AUTH[1]) as client:
        yield LRSReader(client, page_size=7)


def _ids(statements) -> list[str]:
    return [str(s["id"]) for s in statements]


def _with_registration(kinds: dict, ratings: list) -> set[str]:
    return {str(s.id) for s in [*kinds.values(), *ratings] if s.context and s.context.registration}


@pytest.mark.lrs
def test_pages_are_followed_through_more(delivered, reader: LRSReader) -> None:
    registration, kinds, ratings = delivered
    found = _ids(reader.statements(StatementFilter(registration=registration)))
    assert len(found) == len(set(found)) == len(_with_registration(kinds, ratings)) > 7
    assert set(found) == _with_registration(kinds, ratings)


@pytest.mark.lrs
def test_verb_filter(delivered, reader: LRSReader) -> None:
    registration, kinds, _ = delivered
    found = _ids(
        reader.statements(StatementFilter(verb=Verbs.COMPLETED.iri, registration=registration))
    )
    assert found == [str(kinds["self-assessment-completed"].id)]


@pytest.mark.lrs
def test_activity_filter_looks_into_context_activities(delivered, reader: LRSReader) -> None:
    registration, kinds, ratings = delivered
    competency = samples.COMPETENCIES[0].iri
    related = set(
        _ids(reader.statements(StatementFilter(activity=competency, registration=registration)))
    )
    assert related == {
        str(s.id)
        for s in [*kinds.values(), *ratings]
        if s.context
        and s.context.registration
        and competency in json.dumps(json.loads(s.to_json_bytes())["context"])
    }
    only_object = list(
        reader.statements(
            StatementFilter(
                activity=competency, related_activities=False, registration=registration
            )
        )
    )
    assert only_object == []
    question = Vocabulary().self_rating_iri(competency)
    as_object = _ids(
        reader.statements(
            StatementFilter(activity=question, related_activities=False, registration=registration)
        )
    )
    assert set(as_object) == {
        str(s.id)
        for s in [*kinds.values(), *ratings]
        if s.object.id == question and s.context.registration
    }


@pytest.mark.lrs
def test_time_window_on_timestamp(delivered, reader: LRSReader) -> None:
    registration, _, ratings = delivered
    window = StatementFilter(
        registration=registration,
        time_field="timestamp",
        since=ratings[4].timestamp,
        until=ratings[9].timestamp,
    )
    assert set(_ids(reader.statements(window))) == {str(s.id) for s in ratings[5:10]}


@pytest.mark.lrs
def test_time_window_on_stored(delivered, reader: LRSReader) -> None:
    registration, _, _ = delivered
    everything = list(reader.statements(StatementFilter(registration=registration)))
    latest = max(StoredStatement.model_validate(s).stored for s in everything)
    after = StatementFilter(registration=registration, since=latest)
    before = StatementFilter(registration=registration, until=latest + timedelta(seconds=1))
    assert list(reader.statements(after)) == []
    assert len(list(reader.statements(before))) == len(everything)


@pytest.mark.lrs
def test_read_back_as_our_models(delivered, reader: LRSReader) -> None:
    registration, kinds, _ = delivered
    parsed = {
        str(s.id): s
        for s in reader.stored_statements(
            StatementFilter(registration=registration, verb=Verbs.ANSWERED.iri)
        )
    }
    rated = kinds["rated"]
    assert parsed[str(rated.id)].result == rated.result
    assert parsed[str(rated.id)].stored.tzinfo is not None


# --- Against LRSs that misbehave (served by httpx.MockTransport: a real LRS won't do this) ---


def _statement(verb: str) -> dict:
    data = json.loads(samples.rating(uuid4()).to_json_bytes())
    data["verb"]["id"] = verb
    return data | {"stored": "2026-11-22T10:00:00.000Z"}


def _reader(pages: dict[str, dict], *, max_pages: int = 10) -> tuple[LRSReader, list[str]]:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        key = request.url.params.get("cursor", "first")
        return httpx.Response(200, json=pages[key])

    client = LRSClient("https://lrs.example.org/data/xAPI/", transport=httpx.MockTransport(answer))
    return LRSReader(client, page_size=2, max_pages=max_pages), asked


def test_filters_apply_even_when_the_lrs_ignores_them() -> None:
    wanted, other = _statement(Verbs.COMPLETED.iri), _statement(Verbs.LAUNCHED.iri)
    reader, asked = _reader({"first": {"statements": [wanted, other], "more": ""}})
    found = list(reader.statements(StatementFilter(verb=Verbs.COMPLETED.iri)))
    assert found == [wanted]
    assert "verb=http" in asked[0]


@pytest.mark.parametrize(
    "more",
    [
        "/data/xAPI/statements?cursor=2",
        "statements?cursor=2",
        "https://lrs.example.org/data/xAPI/statements?cursor=2",
    ],
)
def test_more_resolves_against_the_endpoint(more: str) -> None:
    one, two = _statement(Verbs.LAUNCHED.iri), _statement(Verbs.LAUNCHED.iri)
    reader, asked = _reader(
        {"first": {"statements": [one], "more": more}, "2": {"statements": [two], "more": ""}}
    )
    assert list(reader.statements()) == [one, two]
    assert asked[1] == "https://lrs.example.org/data/xAPI/statements?cursor=2"


def test_more_leaving_the_origin_is_refused() -> None:
    reader, _ = _reader(
        {"first": {"statements": [], "more": "https://elsewhere.example/statements?cursor=2"}}
    )
    with pytest.raises(LRSError, match="leaves its origin"):
        list(reader.statements())


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ({"first": {"statements": [], "more": "statements?cursor=first"}}, "repeats itself"),
        ({"first": {"results": []}}, "without a statements list"),
    ],
)
def test_malformed_paging_is_an_error_not_a_hang(pages: dict, message: str) -> None:
    reader, _ = _reader(pages)
    with pytest.raises(LRSError, match=message):
        list(reader.statements())


def test_pages_are_bounded() -> None:
    pages = {str(n): {"statements": [], "more": f"statements?cursor={n + 1}"} for n in range(2, 20)}
    pages["first"] = {"statements": [], "more": "statements?cursor=2"}
    reader, asked = _reader(pages, max_pages=5)
    with pytest.raises(LRSError, match="stopped after 5 pages"):
        list(reader.statements())
    assert len(asked) == 5
