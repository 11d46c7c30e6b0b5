"""Reading an overlay file: validation against the overlay schema, and the parsed Overlay."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from frameworks.errors import FrameworkValidationError, ValidationIssue
from frameworks.model import Competency, Domain, Role, TrainingItem
from frameworks.overlay.file_schema import _OVERLAY_FILE
from frameworks.records import build_competency, build_domain, build_role, build_training
from frameworks.schema import Reporter
from frameworks.versioning import VersionRange
from frameworks.yamlsource import PathT, YamlSyntaxError, format_path, read_yaml


@dataclass(frozen=True)
class Relabel:
    id: str
    changes: tuple[tuple[str, Any], ...]
    path: str


@dataclass(frozen=True)
class Overlay:
    id: str
    title: str
    publisher: str
    base: str
    base_versions: VersionRange
    add_roles: tuple[Role, ...] = ()
    add_training: tuple[TrainingItem, ...] = ()
    add_domains: tuple[Domain, ...] = ()
    add_competencies: tuple[tuple[str, Competency], ...] = ()  # (domain id, competency)
    add_links: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (competency id, training ids)
    hide: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    relabel: Mapping[str, tuple[Relabel, ...]] = field(default_factory=dict, hash=False)
    source: str = "<overlay>"
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def issue(self, path: str, message: str) -> ValidationIssue:
        return ValidationIssue(self.source, self.lines.get(path), path, message)


def parse_overlay(text: str, name: str = "<overlay>") -> Overlay:
    """Parse and validate overlay YAML; FrameworkValidationError lists every problem."""
    try:
        located, issues = read_yaml(text, name)
    except YamlSyntaxError as exc:
        raise FrameworkValidationError([exc.issue]) from None
    r = Reporter(name, located)
    r.issues.extend(issues)
    data = located.data
    if data is not None or not issues:
        _OVERLAY_FILE.check(data, (), r)
        if isinstance(data, dict):
            _check_overlay_ids(data, r)
    if r.issues:
        raise FrameworkValidationError(sorted(r.issues, key=lambda i: (i.line or 0, i.path)))
    lines = {format_path(p): located.line_of(p) or 0 for p in located.value_lines}
    return _build(data, name, lines)


def load_overlay(path: str | Path) -> Overlay:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkValidationError(
            [ValidationIssue(str(path), None, "", f"cannot read the file: {exc}")]
        ) from None
    return parse_overlay(text, path.name)


def _check_overlay_ids(data: dict[str, Any], r: Reporter) -> None:
    add = data.get("add")
    if not isinstance(add, dict):
        return
    seen: dict[tuple[str, str], PathT] = {}
    entries: list[tuple[str, PathT, Any]] = []
    for kind in ("roles", "training", "domains"):
        for i, item in enumerate(add.get(kind) or []):
            entries.append((kind, ("add", kind, i), item))
            if kind == "domains" and isinstance(item, dict):
                for j, comp in enumerate(item.get("competencies") or []):
                    entries.append(("competencies", ("add", kind, i, "competencies", j), comp))
    for i, comp in enumerate(add.get("competencies") or []):
        entries.append(("competencies", ("add", "competencies", i), comp))
    for kind, path, item in entries:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        key = (kind, item["id"])
        if key in seen:
            r.add((*path, "id"), f"duplicate {kind} id {item['id']!r} in this overlay")
        seen.setdefault(key, path)


def _build(data: dict[str, Any], name: str, lines: dict[str, int]) -> Overlay:
    meta = data["overlay"]
    add = data.get("add") or {}
    hide = data.get("hide") or {}
    relabel = data.get("relabel") or {}
    return Overlay(
        id=meta["id"],
        title=meta["title"],
        publisher=meta["publisher"],
        base=meta["base"],
        base_versions=VersionRange.parse(meta["base_versions"]),
        add_roles=tuple(build_role(x) for x in add.get("roles", ())),
        add_training=tuple(build_training(x) for x in add.get("training", ())),
        add_domains=tuple(build_domain(x) for x in add.get("domains", ())),
        add_competencies=tuple(
            (x["domain"], build_competency(x)) for x in add.get("competencies", ())
        ),
        add_links=tuple((x["competency"], tuple(x["training"])) for x in add.get("links", ())),
        hide=MappingProxyType({k: tuple(v) for k, v in hide.items()}),
        relabel=MappingProxyType(
            {
                kind: tuple(
                    Relabel(
                        x["id"],
                        tuple(
                            (k, tuple(v) if isinstance(v, list) else v)
                            for k, v in x.items()
                            if k != "id"
                        ),
                        f"relabel.{kind}[{i}]",
                    )
                    for i, x in enumerate(items)
                )
                for kind, items in relabel.items()
            }
        ),
        source=name,
        lines=MappingProxyType(lines),
    )
