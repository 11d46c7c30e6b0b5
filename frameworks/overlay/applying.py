"""Applying a parsed overlay to a base framework: hide, then relabel, then add, then links."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from frameworks.errors import (
    FrameworkValidationError,
    OverlayError,
    OverlayWarning,
    ValidationIssue,
)
from frameworks.model import Framework, Role
from frameworks.overlay.parsing import Overlay
from frameworks.records import (
    competency_to_data,
    framework_from_data,
    framework_to_data,
    training_to_data,
)
from frameworks.versioning import Version

_KINDS = ("domains", "competencies", "training", "roles", "groups")


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
