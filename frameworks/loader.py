"""Load framework files, and the registry of frameworks shipped in frameworks/data/."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from pathlib import Path

from frameworks.errors import (
    FrameworkNotFoundError,
    FrameworkValidationError,
    ValidationIssue,
)
from frameworks.framework_schema import validate_framework_data
from frameworks.model import Framework
from frameworks.records import build_framework
from frameworks.schema import Reporter
from frameworks.yamlsource import YamlSyntaxError, read_yaml

DATA_DIR = Path(__file__).parent / "data"

# Shipped frameworks are listed in this order: by age, then the multi-agency one.
_PHASE_ORDER = ("early-years", "primary", "secondary", "college", "multi-agency")


def parse_framework(text: str, name: str = "<string>") -> Framework:
    """Parse and validate YAML text; raise FrameworkValidationError listing every problem."""
    try:
        located, issues = read_yaml(text, name)
    except YamlSyntaxError as exc:
        raise FrameworkValidationError([exc.issue]) from None
    r = Reporter(name, located)
    r.issues.extend(issues)
    if located.data is not None or not issues:
        validate_framework_data(located.data, r)
    if r.issues:
        raise FrameworkValidationError(sorted(r.issues, key=_order))
    return build_framework(located.data)


def validate_text(text: str, name: str = "<string>") -> list[ValidationIssue]:
    """Every problem in framework YAML text, in line order; empty when it is valid."""
    try:
        parse_framework(text, name)
    except FrameworkValidationError as exc:
        return list(exc.errors)
    return []


def load_framework(path: str | Path) -> Framework:
    """Load one framework file. Errors name the file by its base name, as in FORMAT.md."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkValidationError(
            [ValidationIssue(str(path), None, "", "no such file")]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkValidationError(
            [ValidationIssue(str(path), None, "", f"cannot read the file: {exc}")]
        ) from None
    return parse_framework(text, path.name)


def _order(issue: ValidationIssue) -> tuple[int, str]:
    return (issue.line if issue.line is not None else 0, issue.path)


class FrameworkRegistry(Mapping[str, Framework]):
    """Frameworks by id, iterated in phase order."""

    def __init__(self, frameworks: Mapping[str, Framework]) -> None:
        self._by_id = dict(
            sorted(frameworks.items(), key=lambda kv: (_phase_rank(kv[1].phase), kv[0]))
        )

    def __getitem__(self, framework_id: str) -> Framework:
        try:
            return self._by_id[framework_id]
        except KeyError:
            known = ", ".join(self._by_id) or "none"
            raise FrameworkNotFoundError(
                f"no shipped framework {framework_id!r} (available: {known})"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)


def _phase_rank(phase: str) -> int:
    return _PHASE_ORDER.index(phase) if phase in _PHASE_ORDER else len(_PHASE_ORDER)


def load_directory(directory: str | Path) -> FrameworkRegistry:
    """Load every *.yaml in a directory; any error in any file loads nothing.

    Each framework's id must equal its file name, which keeps ids unique.
    """
    errors: list[ValidationIssue] = []
    found: dict[str, Framework] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            fw = load_framework(path)
        except FrameworkValidationError as exc:
            errors.extend(exc.errors)
            continue
        if fw.id != path.stem:
            errors.append(
                ValidationIssue(
                    path.name,
                    None,
                    "framework.id",
                    f"id {fw.id!r} must match the file name {path.stem!r}",
                )
            )
            continue
        found[fw.id] = fw
    if errors:
        raise FrameworkValidationError(errors)
    return FrameworkRegistry(found)


@functools.cache
def load_shipped() -> FrameworkRegistry:
    """The shipped frameworks, parsed once per process (call `clear_cache()` to reload)."""
    return load_directory(DATA_DIR)


def clear_cache() -> None:
    load_shipped.cache_clear()


def available_frameworks() -> tuple[str, ...]:
    """Ids of the shipped frameworks, in phase order."""
    return tuple(load_shipped())


def get_framework(framework_id: str) -> Framework:
    """A shipped framework by id; FrameworkNotFoundError names the ones available."""
    return load_shipped()[framework_id]
