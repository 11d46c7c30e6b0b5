"""Whatever the input, loading fails only with FrameworkValidationError, never a crash."""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import os
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from frameworks import (
    FrameworkValidationError,
    export_case,
    export_moodle_csv,
    import_case_json,
    import_moodle_csv,
    parse_framework,
    parse_overlay,
)
from frameworks.writer import dump_data
from tests.frameworks.factories import small_data, small_framework

# FUZZ_EXAMPLES=5000 for a longer hunt.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*prefix, i))
    return out


BASE = small_data()
ALL_PATHS = paths(BASE)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.sampled_from(ALL_PATHS), junk, st.booleans())
def test_any_damaged_field_gives_validation_errors_only(
    path: tuple, value: Any, drop: bool
) -> None:
    data = copy.deepcopy(BASE)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if drop:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    errors: list = []
    try:
        parse_framework(dump_data(data), "fuzz.yaml")
    except FrameworkValidationError as exc:
        errors = list(exc.errors)
    assert all(e.file == "fuzz.yaml" and e.message for e in errors)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes_any_reader(text: str) -> None:
    for reader in (parse_framework, parse_overlay, import_moodle_csv, import_case_json):
        with contextlib.suppress(FrameworkValidationError):
            reader(text)


def _damaged(base: Any, path: tuple, value: Any, drop: bool) -> Any:
    data = copy.deepcopy(base)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if drop:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


CASE = export_case(small_framework())
CASE_PATHS = paths(CASE)
MOODLE_ROWS = list(csv.reader(io.StringIO(export_moodle_csv(small_framework()), newline="")))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.sampled_from(CASE_PATHS), junk, st.booleans())
def test_damaged_case_package_gives_validation_errors_only(path, value, drop) -> None:
    with contextlib.suppress(FrameworkValidationError):
        import_case_json(json.dumps(_damaged(CASE, path, value, drop), default=str))


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.integers(0, len(MOODLE_ROWS) - 1),
    st.integers(0, 13),
    st.text(max_size=30) | st.sampled_from(["", "1", "0", "null", "[]", '[{"scaleid":"1"}]']),
)
def test_damaged_moodle_cell_gives_validation_errors_only(row: int, col: int, value: str) -> None:
    rows = copy.deepcopy(MOODLE_ROWS)
    rows[row][col] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    with contextlib.suppress(FrameworkValidationError):
        import_moodle_csv(out.getvalue())
