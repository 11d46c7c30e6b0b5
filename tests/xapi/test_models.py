"""Strict statement models: what they refuse, and the exact bytes they produce."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from ralph.models.xapi.base.common import MailtoEmail

from tests.xapi import samples
from xapi.models import Agent, Result, Statement, StoredStatement, is_email


def _data() -> dict:
    return json.loads(samples.rating(uuid4()).to_json_bytes())


@pytest.mark.parametrize("field", ["version", "stored", "authority", "attachments", "colour"])
def test_statement_refuses_properties_the_client_must_not_set(field: str) -> None:
    data = _data() | {field: "1.0.0"}
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Statement.model_validate(data)


def test_result_has_no_score_so_a_rating_cannot_become_one() -> None:
    with pytest.raises(ValidationError, match="score"):
        Result.model_validate({"score": {"scaled": 0.5}})


@pytest.mark.parametrize("timestamp", ["2026-01-01T12:00:00", "2026-01-01T12:00:00+01:00"])
def test_statement_refuses_naive_or_non_utc_timestamps(timestamp: str) -> None:
    with pytest.raises(ValidationError, match="timestamp"):
        Statement.model_validate(_data() | {"timestamp": timestamp})


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("verb", "id"), "answered"),
        (("object", "id"), "self-rating"),
        (("object", "definition", "type"), "question"),
        (("verb", "display"), {}),
        (("verb", "display"), {"english": "answered"}),
        (("object", "definition", "name"), {"en-GB": ""}),
        (("result", "duration"), "12 minutes"),
        (("context", "registration"), "not-a-uuid"),
    ],
)
def test_statement_refuses_malformed_parts(path: tuple[str, ...], value: object) -> None:
    data = _data()
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    with pytest.raises(ValidationError):
        Statement.model_validate(data)


def test_extension_keys_must_be_iris() -> None:
    data = _data()
    data["result"]["extensions"] = {"level-id": "confident"}
    with pytest.raises(ValidationError, match="IRI"):
        Statement.model_validate(data)


@pytest.mark.parametrize(
    "identifiers",
    [{}, {"account": {"homePage": "https://m.example", "name": "4"}, "mbox": "mailto:a@b.example"}],
)
def test_an_agent_has_exactly_one_identifier(identifiers: dict) -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        Agent.model_validate({"objectType": "Agent", **identifiers})


@pytest.mark.parametrize("kind", sorted(samples.every_kind()))
def test_bytes_are_compact_sorted_utf8_and_round_trip(kind: str) -> None:
    statement = samples.every_kind()[kind]
    payload = statement.to_json_bytes()
    assert "\\u" not in payload.decode("utf-8")  # UTF-8 as is, never escaped
    # Compact separators and sorted keys: the one canonical form of this content.
    assert (
        json.dumps(
            json.loads(payload), ensure_ascii=False, separators=(",", ":"), sort_keys=True
        ).encode()
        == payload
    )
    assert Statement.from_json_bytes(payload) == statement


def test_bytes_keep_non_ascii_text_as_utf8() -> None:
    payload = samples.every_kind()["training-completed"].to_json_bytes()
    assert "—" in payload.decode("utf-8")  # the framework title


def test_nested_extension_objects_are_sorted_too() -> None:
    data = _data()
    data["result"]["extensions"]["https://semh-lti.org/xapi/extensions/level-id"] = {
        "zeta": [{"b": 1, "a": 2}],
        "alpha": "x",
    }
    payload = Statement.model_validate(data).to_json_bytes()
    assert b'{"alpha":"x","zeta":[{"a":2,"b":1}]}' in payload


def test_bytes_do_not_depend_on_the_order_extensions_were_built_in() -> None:
    original = _data()
    data = json.loads(json.dumps(original))
    data["result"]["extensions"] = dict(reversed(list(data["result"]["extensions"].items())))
    assert list(data["result"]["extensions"]) != list(original["result"]["extensions"])
    reordered = Statement.model_validate(data)
    assert reordered.to_json_bytes() == Statement.model_validate(original).to_json_bytes()


@pytest.mark.parametrize("number", [float("nan"), float("inf"), 1e-05, 0.5, 2.0])
def test_fractional_extension_values_are_refused(number: float) -> None:
    # NaN has no JSON spelling and 1e-05 has two (serialisers differ): neither is canonical.
    data = _data()
    data["result"]["extensions"]["https://semh-lti.org/xapi/extensions/level-id"] = {
        "nested": [number]
    }
    with pytest.raises(ValueError, match="no single JSON spelling"):
        Statement.model_validate(data)


def test_integer_and_boolean_extension_values_are_kept() -> None:
    data = _data()
    data["result"]["extensions"]["https://semh-lti.org/xapi/extensions/level-id"] = [3, True]
    assert b"[3,true]" in Statement.model_validate(data).to_json_bytes()


def test_stored_statement_reads_back_what_an_lrs_adds() -> None:
    data = _data() | {
        "stored": "2026-11-22T15:29:11.557+00:00",
        "version": "1.0.0",
        "authority": {"objectType": "Agent", "mbox": "mailto:c@example.org"},
    }
    stored = StoredStatement.model_validate(data)
    assert stored.stored.utcoffset().total_seconds() == 0
    assert stored.version == "1.0.0"


@pytest.mark.parametrize("address", ["ann@school.example.org", "a.b+c@x-y.example.co.uk"])
def test_plain_addresses_are_emails(address: str) -> None:
    assert is_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "00@a-.aa",
        "a@b",
        "a@b.12",
        "a b@x.org",
        "a@@x.org",
        ".a@x.org",
        "a..b@x.org",
        "a@x..org",
        "x" * 65 + "@x.org",
    ],
)
def test_malformed_addresses_are_not(address: str) -> None:
    assert not is_email(address)


_LOCAL = st.text(st.sampled_from("abz09.-_+!#'~\"(), @"), min_size=1, max_size=12)
_DOMAIN = st.text(st.sampled_from("abz09.-_"), min_size=1, max_size=16)


@settings(max_examples=3000, deadline=None)
@given(st.emails() | st.builds(lambda a, b: f"{a}@{b}", _LOCAL, _DOMAIN))
def test_any_address_we_accept_ralph_accepts(address: str) -> None:
    if is_email(address):
        MailtoEmail.model_validate(f"mailto:{address}")
