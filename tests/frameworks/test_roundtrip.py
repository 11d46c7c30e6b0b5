"""Property-based round trips: YAML, Moodle CSV and CASE JSON give back equal frameworks."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings

from frameworks import (
    Framework,
    dump_framework,
    export_case_json,
    export_moodle_csv,
    import_case_json,
    import_moodle_csv,
    parse_framework,
)
from tests.frameworks.strategies import frameworks

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(frameworks())
def test_yaml_round_trip(fw: Framework) -> None:
    assert parse_framework(dump_framework(fw), "dumped.yaml") == fw


@SETTINGS
@given(frameworks())
def test_moodle_csv_round_trip(fw: Framework) -> None:
    assert import_moodle_csv(export_moodle_csv(fw)) == fw


@SETTINGS
@given(frameworks())
def test_case_json_round_trip(fw: Framework) -> None:
    assert import_case_json(export_case_json(fw, datetime(2026, 1, 1, tzinfo=UTC))) == fw


@SETTINGS
@given(frameworks())
def test_exports_chain(fw: Framework) -> None:
    via_moodle = import_moodle_csv(export_moodle_csv(fw))
    assert import_case_json(export_case_json(via_moodle)) == fw
