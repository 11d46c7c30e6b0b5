"""The five shipped frameworks validate and have the shape the issue asks for."""

from __future__ import annotations

import pytest

from frameworks import (
    FrameworkRegistry,
    available_frameworks,
    export_case_json,
    export_moodle_csv,
    get_framework,
    import_case_json,
    import_moodle_csv,
    load_framework,
    parse_framework,
)
from frameworks.lint import guidance
from frameworks.loader import DATA_DIR
from frameworks.writer import dump_framework

EXPECTED = ("early-years", "primary", "secondary", "college", "multi-agency")
FILES = sorted(DATA_DIR.glob("*.yaml"))


def test_all_five_phases_are_shipped(shipped: FrameworkRegistry) -> None:
    assert available_frameworks() == EXPECTED
    assert [fw.phase for fw in shipped.values()] == list(EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_shipped_file_validates_and_has_the_required_shape(path) -> None:
    fw = load_framework(path)
    assert fw.id == path.stem
    assert [g.id for g in fw.groups] == ["core", "enhanced", "targeted"]
    assert len(fw.domains) >= 8
    assert len(fw.competencies) >= 40
    assert 8 <= len(fw.competencies_for("core")) <= 15
    assert all(c.training for c in fw.competencies)
    assert any(c.send for c in fw.competencies), "no SEND enhancement overlay"
    assert all(fw.training_for(c.id) for c in fw.competencies)
    durations = [t.duration_minutes for t in fw.training]
    assert min(durations) <= 90, "no short (90 minutes or less) training"
    assert max(durations) >= 720, "no training of about two days"
    assert fw.roles and all(fw.group(r.group) for r in fw.roles)
    assert guidance(fw) == []


def test_shipped_frameworks_are_cached(shipped: FrameworkRegistry) -> None:
    assert get_framework("primary") is get_framework("primary")


@pytest.mark.parametrize("framework_id", EXPECTED)
def test_shipped_frameworks_round_trip(shipped: FrameworkRegistry, framework_id: str) -> None:
    fw = shipped[framework_id]
    assert parse_framework(dump_framework(fw)) == fw
    assert import_moodle_csv(export_moodle_csv(fw)) == fw
    assert import_case_json(export_case_json(fw)) == fw


def test_competency_ids_are_unique_across_shipped_frameworks(shipped: FrameworkRegistry) -> None:
    # Each id only needs to be unique in its file, but IRIs differ by framework anyway;
    # the same id in two phases would still be confusing in reports.
    seen: dict[str, str] = {}
    for fw in shipped.values():
        for c in fw.competencies:
            assert c.id not in seen, f"{c.id} is in both {seen[c.id]} and {fw.id}"
            seen[c.id] = fw.id
