"""ISO 8601 forms of timestamps and durations, and the backoff schedule."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from xapi.backoff import backoff_delay
from xapi.compare import same_content
from xapi.timeutil import as_utc, format_timestamp, iso_duration


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(seconds=0.5), "PT0.5S"),
        (timedelta(minutes=19, seconds=42.5), "PT19M42.5S"),
        (timedelta(hours=1), "PT1H"),
        (timedelta(days=2, seconds=61.25), "PT48H1M1.25S"),
    ],
)
def test_iso_duration(duration: timedelta, text: str) -> None:
    assert iso_duration(duration) == text


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
def test_iso_duration_reads_back_to_within_a_hundredth(duration: timedelta) -> None:
    parsed = TypeAdapter(timedelta).validate_python(iso_duration(duration))
    assert timedelta(0) <= duration - parsed < timedelta(milliseconds=10)


def test_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        iso_duration(timedelta(seconds=-1))


def test_format_timestamp_and_naive_database_values() -> None:
    when = datetime(2026, 3, 1, 8, 5, 9, 7_000, tzinfo=UTC)
    assert format_timestamp(when) == "2026-03-01T08:05:09.007Z"
    assert as_utc(when.replace(tzinfo=None)) == when


@given(st.integers(1, 80), st.floats(0.01, 10), st.floats(10, 1000))
def test_backoff_stays_within_full_jitter_bounds(attempt: int, base: float, cap: float) -> None:
    delay = backoff_delay(attempt, base=base, cap=cap, rng=random.Random(attempt))
    assert 0 <= delay <= min(cap, base * 2 ** (attempt - 1))


def test_backoff_grows_then_stops_at_the_cap() -> None:
    rng = random.Random(7)
    ceilings = [
        max(backoff_delay(n, base=1, cap=30, rng=rng) for _ in range(400)) for n in (1, 3, 10)
    ]
    assert ceilings[0] <= 1 < ceilings[1] <= 4 < ceilings[2] <= 30
    assert ceilings[2] > 25


def test_same_content_ignores_what_the_lrs_adds_and_reformats() -> None:
    ours = {
        "id": "AB0E2C3A-0000-4000-8000-000000000000",
        "timestamp": "2026-01-01T00:00:00.000Z",
        "object": {"objectType": "Activity", "id": "https://x.example/a"},
        "result": {"completion": True},
    }
    theirs = {
        "id": "ab0e2c3a-0000-4000-8000-000000000000",
        "timestamp": "2026-01-01T00:00:00+00:00",
        "stored": "2026-01-02T00:00:00Z",
        "object": {"id": "https://x.example/a"},
        "result": {"completion": True},
        "version": "1.0.0",
    }
    assert same_content(ours, theirs)


@pytest.mark.parametrize(
    "change",
    [
        {"result": {"completion": 1}},
        {"object": {"objectType": "Activity", "id": "https://x.example/A"}},
        {"timestamp": "2026-01-01T00:00:00.001Z"},
    ],
)
def test_same_content_sees_a_real_difference(change: dict) -> None:
    ours = {
        "timestamp": "2026-01-01T00:00:00.000Z",
        "result": {"completion": True},
        "object": {"objectType": "Activity", "id": "https://x.example/a"},
    }
    assert not same_content(ours, ours | change)
