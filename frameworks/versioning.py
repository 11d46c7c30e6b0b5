"""Versions, version ranges, framework diffs, rating carry-forward and the version-bump rule."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from frameworks.model import Competency, Framework
from frameworks.vocab import VERSION


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        m = VERSION.fullmatch(text)
        if not m:
            raise ValueError(f"{text!r} is not a version (expected MAJOR.MINOR.PATCH, e.g. 1.2.0)")
        return cls(*(int(g) for g in m.groups()))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


_OPS: dict[str, Callable[[Version, Version], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_CLAUSE = re.compile(r"\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+){0,2})\s*")


@dataclass(frozen=True)
class VersionRange:
    """Comma-separated clauses that must all hold, e.g. ">=1.0,<2". Missing parts count as 0."""

    text: str
    clauses: tuple[tuple[str, Version], ...]

    @classmethod
    def parse(cls, text: str) -> VersionRange:
        clauses = []
        for part in text.split(","):
            m = _CLAUSE.fullmatch(part)
            if not m:
                raise ValueError(
                    f'{part.strip()!r} is not a version clause (write e.g. ">=1.0,<2")'
                )
            numbers = [int(n) for n in m.group(2).split(".")] + [0, 0]
            clauses.append((m.group(1), Version(*numbers[:3])))
        return cls(text, tuple(clauses))

    def __contains__(self, version: Version | str) -> bool:
        v = Version.parse(version) if isinstance(version, str) else version
        return all(_OPS[op](v, bound) for op, bound in self.clauses)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Reworded:
    id: str
    fields: tuple[str, ...]  # which of statement, indicators, group, send changed


@dataclass(frozen=True)
class FrameworkDiff:
    """What changed between two versions of one framework.

    `unchanged` holds competencies whose content (statement, indicators, group, SEND flag) is
    the same; they may still have moved domain or changed training (`moved`, `relinked`).
    """

    old_version: str
    new_version: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    reworded: tuple[Reworded, ...]
    unchanged: tuple[str, ...]
    moved: tuple[str, ...]
    relinked: tuple[str, ...]
    domain_changes: tuple[str, ...]
    scale_changes: tuple[str, ...]
    scale_compatible: bool
    group_changes: tuple[str, ...]
    link_changes: tuple[str, ...]

    @property
    def content_changed(self) -> bool:
        """True when the change needs a new minor or major version."""
        return bool(
            self.added
            or self.removed
            or self.reworded
            or self.moved
            or self.domain_changes
            or self.scale_changes
            or self.group_changes
        )

    @property
    def links_changed(self) -> bool:
        """True for changes a patch version covers: training, links, dates, roles, metadata."""
        return bool(self.relinked or self.link_changes)


_CONTENT_FIELDS = ("statement", "indicators", "group", "send")


def _content_diff(a: Competency, b: Competency) -> tuple[str, ...]:
    return tuple(f for f in _CONTENT_FIELDS if getattr(a, f) != getattr(b, f))


def diff(old: Framework, new: Framework) -> FrameworkDiff:
    """Compare two versions of the same framework, competency by stable id."""
    if old.id != new.id or old.iri != new.iri:
        raise ValueError(
            f"these are different frameworks ({old.id} <{old.iri}> and {new.id} <{new.iri}>); "
            "diff compares two versions of one framework"
        )
    old_ids = [c.id for c in old.competencies]
    new_ids = [c.id for c in new.competencies]
    old_set, new_set = set(old_ids), set(new_ids)
    reworded, unchanged, moved, relinked = [], [], [], []
    for cid in new_ids:
        if cid not in old_set:
            continue
        a, b = old.competency(cid), new.competency(cid)
        changed = _content_diff(a, b)
        if changed:
            reworded.append(Reworded(cid, changed))
        else:
            unchanged.append(cid)
        if old.domain_of(cid).id != new.domain_of(cid).id:
            moved.append(cid)
        if a.training != b.training:
            relinked.append(cid)

    return FrameworkDiff(
        old_version=old.version,
        new_version=new.version,
        added=tuple(c for c in new_ids if c not in old_set),
        removed=tuple(c for c in old_ids if c not in new_set),
        reworded=tuple(reworded),
        unchanged=tuple(unchanged),
        moved=tuple(moved),
        relinked=tuple(relinked),
        domain_changes=_domain_changes(old, new),
        scale_changes=_scale_changes(old, new),
        scale_compatible=(
            old.scale.level_ids == new.scale.level_ids
            and old.scale.proficient == new.scale.proficient
        ),
        group_changes=tuple(
            f"group {g.id}: {f} changed"
            for g, h in zip(old.groups, new.groups, strict=False)
            for f in ("title", "description")
            if getattr(g, f) != getattr(h, f)
        ),
        link_changes=_link_changes(old, new),
    )


def _domain_changes(old: Framework, new: Framework) -> tuple[str, ...]:
    out = []
    before = {d.id: d for d in old.domains}
    after = {d.id: d for d in new.domains}
    out += [f"domain {d} added" for d in after if d not in before]
    out += [f"domain {d} removed" for d in before if d not in after]
    for did in after.keys() & before.keys():
        for f in ("title", "description", "principles", "thrive"):
            if getattr(before[did], f) != getattr(after[did], f):
                out.append(f"domain {did}: {f} changed")
    if [d for d in before if d in after] != [d for d in after if d in before]:
        out.append("domains reordered")
    return tuple(sorted(out))


def _scale_changes(old: Framework, new: Framework) -> tuple[str, ...]:
    a, b = old.scale, new.scale
    out = []
    if a.level_ids != b.level_ids:
        out.append(f"levels changed: {', '.join(a.level_ids)} -> {', '.join(b.level_ids)}")
    elif a.levels != b.levels:
        out.append("level labels or descriptors reworded")
    if a.proficient != b.proficient:
        out.append(f"proficient threshold changed: {a.proficient} -> {b.proficient}")
    if (a.not_applicable, a.prior_qualification) != (b.not_applicable, b.prior_qualification):
        out.append("'not applicable' or 'prior qualification' wording changed")
    return tuple(out)


def _link_changes(old: Framework, new: Framework) -> tuple[str, ...]:
    out = []
    before = {t.id: t for t in old.training}
    after = {t.id: t for t in new.training}
    out += [f"training {t} added" for t in after if t not in before]
    out += [f"training {t} removed" for t in before if t not in after]
    out += [f"training {t} changed" for t in after if t in before and before[t] != after[t]]
    common = [c.id for c in new.competencies if c.id in {o.id for o in old.competencies}]
    if [c.id for c in old.competencies if c.id in set(common)] != common:
        out.append("competencies reordered")
    if old.roles != new.roles:
        out.append("roles or role mapping changed")
    if [g.example_roles for g in old.groups] != [g.example_roles for g in new.groups]:
        out.append("example roles changed")
    for f in ("title", "publisher", "licence", "review_date", "description", "phase"):
        if getattr(old, f) != getattr(new, f):
            out.append(f"framework {f} changed")
    return tuple(out)


T = TypeVar("T")


def carry_forward(ratings: Mapping[str, T], changes: FrameworkDiff) -> dict[str, T]:
    """The ratings (competency id -> rating) that still hold in the new version.

    Ratings of unchanged competencies carry forward; reworded, removed and added ones need
    rating afresh. If the scale's levels or threshold changed, nothing carries forward,
    because the old ratings were given on a different scale.
    """
    if not changes.scale_compatible:
        return {}
    keep = set(changes.unchanged)
    return {cid: rating for cid, rating in ratings.items() if cid in keep}


Bump = Literal["none", "patch", "minor"]


@dataclass(frozen=True)
class BumpCheck:
    ok: bool
    required: Bump  # the smallest bump the changes need ("minor" means minor or major)
    message: str


def check_version_bump(old: Framework, new: Framework) -> BumpCheck:
    """Is new.version a big enough step from old.version for what changed?

    Content changes (competencies, domains, scale, group wording) need a new minor or major
    version; link-only changes (training, URLs, dates, roles, metadata) need at least a patch.
    """
    changes = diff(old, new)
    a, b = Version.parse(old.version), Version.parse(new.version)
    if changes.content_changed:
        required: Bump = "minor"
        ok = (b.major, b.minor) > (a.major, a.minor)
        suggestion = f"{a.major}.{a.minor + 1}.0"
        what = _content_summary(changes)
    elif changes.links_changed:
        required = "patch"
        ok = b > a
        suggestion = f"{a.major}.{a.minor}.{a.patch + 1}"
        what = "training, links, dates, roles or metadata changed"
    else:
        required = "none"
        ok = b >= a
        suggestion = str(a)
        what = "nothing changed"
    if b < a:
        return BumpCheck(False, required, f"version went backwards: {a} -> {b}")
    if ok:
        return BumpCheck(True, required, f"version {a} -> {b} is enough: {what}")
    need = {"minor": "a new minor or major version", "patch": "at least a new patch version"}
    return BumpCheck(
        False,
        required,
        f"version {a} -> {b} is not enough: {what}, which needs {need.get(required, '')} "
        f"(e.g. {suggestion})",
    )


def _content_summary(changes: FrameworkDiff) -> str:
    parts = []
    for label, items in (
        ("added", changes.added),
        ("removed", changes.removed),
        ("reworded", [r.id for r in changes.reworded]),
        ("moved domain", changes.moved),
    ):
        if items:
            parts.append(f"{len(items)} competenc{'y' if len(items) == 1 else 'ies'} {label}")
    if changes.domain_changes:
        parts.append("domains changed")
    if changes.scale_changes:
        parts.append("the scale changed")
    if changes.group_changes:
        parts.append("group wording changed")
    return ", ".join(parts)
