"""Statement ids: stable across releases, and unambiguous between key parts."""

from __future__ import annotations

import json
from uuid import UUID, uuid5

import pytest

from xapi.ids import statement_id
from xapi.vocabulary import STATEMENT_ID_NAMESPACE


def test_ids_of_known_events_never_change() -> None:
    # An LRS already holds statements under these ids: a changed scheme would send them twice.
    registration = UUID("6f1c9a52-3d4e-4b7a-9c1e-2a5b8d0f7e31")
    competency = "https://semh-lti.org/frameworks/primary/competencies/pr-1.2"
    assert statement_id("competency-rated", registration, competency, 3) == UUID(
        "dfb533cf-a447-5ffb-94fb-95ad00335750"
    )
    assert statement_id("training-completed", "plan-item-7-2026-11-22", 'é "quoted"') == UUID(
        "a0f243a2-8d00-58a4-9943-ea3382793e75"
    )


@pytest.mark.parametrize(
    "key", [("a", "b"), ("é", '"', "\\"), ("line\nbreak", "\u2028", "\x00"), (1, "1")]
)
def test_the_name_hashed_is_the_json_array_of_the_key(key: tuple[object, ...]) -> None:
    name = json.dumps(["event", *(str(part) for part in key)], ensure_ascii=False)
    assert statement_id("event", *key) == uuid5(STATEMENT_ID_NAMESPACE, name)


def test_part_boundaries_are_unambiguous() -> None:
    assert statement_id("e", "a", "b|c") != statement_id("e", "a|b", "c")
    assert statement_id("e", 'a", "b') != statement_id("e", "a", "b")


def test_a_key_is_required() -> None:
    with pytest.raises(ValueError, match="key part"):
        statement_id("event")
