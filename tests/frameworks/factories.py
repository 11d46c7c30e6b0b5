"""Test-data factories: a small valid framework and variations of it."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

from frameworks import Framework, dump_framework, framework_from_data, framework_to_data
from frameworks.loader import load_framework

HERE = Path(__file__).parent
SMALL_YAML = HERE / "data" / "small.yaml"
MALFORMED = HERE / "malformed"


def small_framework() -> Framework:
    """The framework in data/small.yaml: 2 domains, 3 competencies (one per group, one SEND)."""
    return load_framework(SMALL_YAML)


def small_data() -> dict[str, Any]:
    return copy.deepcopy(framework_to_data(small_framework()))


def from_data(data: dict[str, Any]) -> Framework:
    return framework_from_data(data, "<test>")


def with_version(fw: Framework, version: str) -> Framework:
    return dataclasses.replace(fw, version=version)


def edit(fw: Framework, change: Any) -> Framework:
    """A copy of `fw` after `change(data)` edits its plain data in place."""
    data = copy.deepcopy(framework_to_data(fw))
    change(data)
    return from_data(data)


def competency_data(data: dict[str, Any], competency_id: str) -> dict[str, Any]:
    for domain in data["domains"]:
        for comp in domain["competencies"]:
            if comp["id"] == competency_id:
                return comp
    raise KeyError(competency_id)


def reworded(fw: Framework, competency_id: str, statement: str, version: str) -> Framework:
    def change(data: dict[str, Any]) -> None:
        competency_data(data, competency_id)["statement"] = statement
        data["framework"]["version"] = version

    return edit(fw, change)


def write_framework(directory: Path, fw: Framework, name: str | None = None) -> Path:
    path = directory / (name or f"{fw.id}.yaml")
    path.write_text(dump_framework(fw), encoding="utf-8")
    return path


def overlay_yaml(body: str, base: str = "small", versions: str = ">=1.0,<2") -> str:
    """Overlay text with the standard header, followed by `body` (already indented YAML)."""
    return (
        "overlay:\n"
        "  id: test-overlay\n"
        "  title: Test overlay\n"
        "  publisher: Test trust\n"
        f"  base: {base}\n"
        f'  base_versions: "{versions}"\n' + body
    )
