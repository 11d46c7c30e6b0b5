"""Local overlays: an organisation's additions, hidden items and relabels on a base framework.

The overlay file never copies the base; it names the base id and the range of base versions
it was written for, so it keeps applying when the base moves on. Anything it refers to that
the base no longer has is skipped with an OverlayWarning rather than a crash.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from frameworks.errors import (
    FrameworkValidationError,
    OverlayError,
    OverlayWarning,
    ValidationIssue,
)
from frameworks.framework_schema import (
    COMPETENCY,
    COMPETENCY_ID,
    DOMAIN,
    GROUP,
    ROLE,
    SLUG,
    TRAINING,
)
from frameworks.model import Competency, Domain, Framework, Role, TrainingItem
from frameworks.records import (
    build_competency,
    build_domain,
    build_role,
    build_training,
    competency_to_data,
    framework_from_data,
    framework_to_data,
    training_to_data,
)
from frameworks.schema import F, ListOf, Record, Reporter, Spec, Text, Url
from frameworks.versioning import Version, VersionRange
from frameworks.yamlsource import PathT, YamlSyntaxError, format_path, read_yaml


@dataclass
class _VersionRangeSpec(Spec):
    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if not isinstance(value, str):
            r.add(path, 'expected a version range in quotes, e.g. ">=1.0,<2"')
            return False
        try:
            VersionRange.parse(value)
        except ValueError as exc:
            r.add(path, str(exc))
            return False
        return True


def _ids(spec: Spec = SLUG) -> F:
    return F(ListOf(spec, unique=True), required=False)


_OVERLAY_FILE = Record(
    {
        "overlay": F(
            Record(
                {
                    "id": F(SLUG),
                    "title": F(Text()),
                    "publisher": F(Text()),
                    "base": F(SLUG),
                    "base_versions": F(_VersionRangeSpec()),
                }
            )
        ),
        "add": F(
            Record(
                {
                    "roles": F(ListOf(ROLE), required=False),
                    "training": F(ListOf(TRAINING), required=False),
                    "domains": F(ListOf(DOMAIN), required=False),
                    "competencies": F(
                        ListOf(Record({"domain": F(SLUG), **COMPETENCY.fields})), required=False
                    ),
                    "links": F(
                        ListOf(
                            Record(
                                {
                                    "competency": F(COMPETENCY_ID),
                                    "training": F(ListOf(SLUG, min_items=1, unique=True)),
                                }
                            )
                        ),
                        required=False,
                    ),
                }
            ),
            required=False,
        ),
        "hide": F(
            Record(
                {
                    "domains": _ids(),
                    "competencies": _ids(COMPETENCY_ID),
                    "training": _ids(),
                    "roles": _ids(),
                }
            ),
            required=False,
        ),
        "relabel": F(
            Record(
                {
                    "domains": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(SLUG),
                                    "title": F(Text(), False),
                                    "description": F(Text(), False),
                                }
                            )
                        ),
                        False,
                    ),
                    "competencies": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(COMPETENCY_ID),
                                    "statement": F(Text(), False),
                                    "indicators": F(ListOf(Text(), min_items=1), False),
                                }
                            )
                        ),
                        False,
                    ),
                    "training": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(SLUG),
                                    "title": F(Text(), False),
                                    "provider": F(Text(), False),
                                    "url": F(Url(), False),
                                }
                            )
                        ),
                        False,
                    ),
                    "roles": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(SLUG),
                                    "label": F(Text(), False),
                                    "group": F(GROUP, False),
                                    "keywords": F(ListOf(Text()), False),
                                }
                            )
                        ),
                        False,
                    ),
                    "groups": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(GROUP),
                                    "title": F(Text(), False),
                                    "description": F(Text(), False),
                                }
                            )
                        ),
                        False,
                    ),
                }
            ),
            required=False,
        ),
    }
)

_KINDS = ("domains", "competencies", "training", "roles", "groups")


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


@dataclass(frozen=True)
class OverlayResult:
    framework: Framework
    warnings: tuple[str, ...]


def resolve_overlay(base: Framework, overlay: Overlay) -> OverlayResult:
    """Apply `overlay` to `base`; return the adapted framework and the warnings, in order.

    Raises OverlayError when the overlay is for another framework or another base version,
    and FrameworkValidationError (naming overlay lines) when the result would be invalid.
    """
    if overlay.base != base.id:
        raise OverlayError(
            f"{overlay.source}: overlay {overlay.id!r} adapts framework {overlay.base!r}, "
            f"not {base.id!r}"
        )
    if Version.parse(base.version) not in overlay.base_versions:
        raise OverlayError(
            f"{overlay.source}: overlay {overlay.id!r} applies to {overlay.base} versions "
            f"{overlay.base_versions}, but the base is {base.version}; review the overlay "
            "against the new base and widen base_versions"
        )
    return _Applier(base, overlay).run()


def apply_overlay(base: Framework, overlay: Overlay) -> Framework:
    """Apply `overlay` to `base`. Skipped parts are reported with warnings.warn(OverlayWarning)."""
    result = resolve_overlay(base, overlay)
    for message in result.warnings:
        warnings.warn(message, OverlayWarning, stacklevel=2)
    return result.framework


class _Applier:
    def __init__(self, base: Framework, overlay: Overlay) -> None:
        self.base = base
        self.o = overlay
        self.data = framework_to_data(base)
        self.warnings: list[str] = []
        self.errors: list[ValidationIssue] = []

    def warn(self, path: str, message: str) -> None:
        line = self.o.lines.get(path)
        where = f"{self.o.source}:{line}" if line else self.o.source
        self.warnings.append(f"{where}: {path}: {message}")

    def run(self) -> OverlayResult:
        self._hide()
        self._relabel()
        self._add()
        if self.errors:
            raise FrameworkValidationError(self.errors)
        fw = framework_from_data(self.data, self.o.source)
        return OverlayResult(fw, tuple(self.warnings))

    # Lookups over the working data --------------------------------------------------------

    def _competencies(self) -> list[dict[str, Any]]:
        return [c for d in self.data["domains"] for c in d["competencies"]]

    def _find(self, kind: str, ident: str) -> dict[str, Any] | None:
        pool = self._competencies() if kind == "competencies" else self.data[kind]
        return next((x for x in pool if x["id"] == ident), None)

    def _hide(self) -> None:
        hide = self.o.hide
        for i, did in enumerate(hide.get("domains", ())):
            if self._find("domains", did) is None:
                self.warn(
                    f"hide.domains[{i}]",
                    f"no domain {did!r} in {self._base_name()}; nothing to hide",
                )
            self.data["domains"] = [d for d in self.data["domains"] if d["id"] != did]
        for i, cid in enumerate(hide.get("competencies", ())):
            if self._find("competencies", cid) is None:
                self.warn(
                    f"hide.competencies[{i}]",
                    f"no competency {cid!r} in {self._base_name()}; nothing to hide",
                )
            for d in self.data["domains"]:
                d["competencies"] = [c for c in d["competencies"] if c["id"] != cid]
        # A domain left with no competencies is hidden with them.
        self.data["domains"] = [d for d in self.data["domains"] if d["competencies"]]
        for i, tid in enumerate(hide.get("training", ())):
            path = f"hide.training[{i}]"
            if self._find("training", tid) is None:
                self.warn(path, f"no training item {tid!r} in {self._base_name()}; nothing to hide")
                continue
            self.data["training"] = [t for t in self.data["training"] if t["id"] != tid]
            for c in self._competencies():
                if tid in c["training"]:
                    c["training"] = [t for t in c["training"] if t != tid]
                    if not c["training"] and not self._linked_later(c["id"]):
                        self.errors.append(
                            self.o.issue(
                                path,
                                f"hiding {tid!r} leaves competency {c['id']!r} with no training; "
                                "add a replacement under add.links",
                            )
                        )
        for i, rid in enumerate(hide.get("roles", ())):
            if self._find("roles", rid) is None:
                self.warn(
                    f"hide.roles[{i}]", f"no role {rid!r} in {self._base_name()}; nothing to hide"
                )
                continue
            self.data["roles"] = [r for r in self.data["roles"] if r["id"] != rid]
            for g in self.data["groups"]:
                g["example_roles"] = [r for r in g["example_roles"] if r != rid]

    def _linked_later(self, cid: str) -> bool:
        return any(link_cid == cid for link_cid, _ in self.o.add_links)

    def _relabel(self) -> None:
        for kind in _KINDS:
            for item in self.o.relabel.get(kind, ()):
                target = self._find(kind, item.id)
                if target is None:
                    self.warn(
                        item.path,
                        f"no {kind.rstrip('s') if kind != 'training' else 'training item'} "
                        f"{item.id!r} in {self._base_name()} (or it is hidden); relabel skipped",
                    )
                    continue
                for key, value in item.changes:
                    target[key] = list(value) if isinstance(value, tuple) else value

    def _add(self) -> None:
        for kind, items, to_data in (
            ("roles", self.o.add_roles, _role_data),
            ("training", self.o.add_training, training_to_data),
        ):
            for i, item in enumerate(items):
                if self._clash(kind, item.id, f"add.{kind}[{i}]"):
                    continue
                self.data[kind].append(to_data(item))
        for i, domain in enumerate(self.o.add_domains):
            path = f"add.domains[{i}]"
            if self._clash("domains", domain.id, path):
                continue
            comps = []
            for j, c in enumerate(domain.competencies):
                if not self._clash("competencies", c.id, f"{path}.competencies[{j}]"):
                    comps.append(
                        self._with_known_training(
                            competency_to_data(c), f"{path}.competencies[{j}]"
                        )
                    )
            self.data["domains"].append(
                {
                    "id": domain.id,
                    "title": domain.title,
                    "description": domain.description,
                    "principles": list(domain.principles),
                    "thrive": list(domain.thrive),
                    "competencies": comps,
                }
            )
        for i, (did, comp) in enumerate(self.o.add_competencies):
            path = f"add.competencies[{i}]"
            target = self._find("domains", did)
            if target is None:
                self.warn(
                    f"{path}.domain",
                    f"no domain {did!r} in {self._base_name()} (or it is hidden); "
                    f"competency {comp.id!r} not added",
                )
                continue
            if self._clash("competencies", comp.id, path):
                continue
            target["competencies"].append(self._with_known_training(competency_to_data(comp), path))
        for i, (cid, training) in enumerate(self.o.add_links):
            path = f"add.links[{i}]"
            target = self._find("competencies", cid)
            if target is None:
                self.warn(
                    f"{path}.competency",
                    f"no competency {cid!r} in {self._base_name()} (or it is hidden); "
                    "links skipped",
                )
                continue
            extra = self._with_known_training({"id": cid, "training": list(training)}, path)
            target["training"] += [t for t in extra["training"] if t not in target["training"]]
            if not target["training"]:
                self.errors.append(
                    self.o.issue(path, f"competency {cid!r} is left with no training")
                )

    def _with_known_training(self, comp: dict[str, Any], path: str) -> dict[str, Any]:
        known = {t["id"] for t in self.data["training"]}
        kept = []
        for j, tid in enumerate(comp["training"]):
            if tid in known:
                kept.append(tid)
            else:
                self.warn(
                    f"{path}.training[{j}]",
                    f"no training item {tid!r} in {self._base_name()} or this overlay "
                    "(or it is hidden); link skipped",
                )
        if not kept:
            self.errors.append(
                self.o.issue(f"{path}.training", f"competency {comp['id']!r} has no known training")
            )
        return {**comp, "training": kept}

    def _clash(self, kind: str, ident: str, path: str) -> bool:
        if self._find(kind, ident) is not None:
            self.errors.append(
                self.o.issue(
                    f"{path}.id" if f"{path}.id" in self.o.lines else path,
                    f"{ident!r} is already used in {self._base_name()}; choose another id "
                    "(prefix local ids with your organisation, e.g. 'swl-')",
                )
            )
            return True
        return False

    def _base_name(self) -> str:
        return f"{self.base.id} {self.base.version}"


def _role_data(role: Role) -> dict[str, Any]:
    out: dict[str, Any] = {"id": role.id, "label": role.label, "group": role.group}
    if role.keywords:
        out["keywords"] = list(role.keywords)
    return out


__all__ = [
    "Overlay",
    "OverlayResult",
    "apply_overlay",
    "load_overlay",
    "parse_overlay",
    "resolve_overlay",
]
