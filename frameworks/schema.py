"""A small declarative schema for plain data, reporting every problem with its field path.

Each spec checks a value and reports problems to a Reporter, which turns a field path into a
ValidationIssue (with a line number when the data came from YAML).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from frameworks.errors import ValidationIssue
from frameworks.yamlsource import Located, PathT, format_path


class Reporter:
    """Collects issues for one source. With a Located source, issues carry line numbers."""

    def __init__(self, name: str, located: Located | None = None) -> None:
        self.name = name
        self.located = located
        self.issues: list[ValidationIssue] = []

    def add(self, path: PathT, message: str) -> None:
        line = self.located.line_of(path) if self.located is not None else None
        self.issues.append(ValidationIssue(self.name, line, format_path(path), message))

    def line(self, path: PathT) -> int | None:
        return self.located.line_of(path) if self.located is not None else None


def describe(value: Any) -> str:
    """How a wrongly typed value is named in messages."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _hint(value: Any, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value), list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class Spec:
    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        raise NotImplementedError


@dataclass
class Text(Spec):
    """Non-blank text. YAML turns some bare words into numbers, dates or booleans."""

    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if not isinstance(value, str):
            quote = " (put it in quotes)" if isinstance(value, bool | int | float | date) else ""
            r.add(path, f"expected text, got {describe(value)}{quote}")
            return False
        if not value.strip():
            r.add(path, "must not be blank")
            return False
        return True


@dataclass
class Pattern(Spec):
    regex: re.Pattern[str]
    what: str
    max_length: int = 64

    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if not isinstance(value, str):
            r.add(path, f"expected {self.what}, got {describe(value)}")
            return False
        if not self.regex.fullmatch(value):
            r.add(path, f"{value!r} is not a valid {self.what} (pattern {self.regex.pattern})")
            return False
        if len(value) > self.max_length:
            r.add(path, f"{value!r} is longer than {self.max_length} characters")
            return False
        return True


@dataclass
class Choice(Spec):
    options: Iterable[str]
    what: str

    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        options = list(self.options)
        if not isinstance(value, str) or value not in options:
            shown = repr(value) if isinstance(value, str) else describe(value)
            r.add(
                path,
                f"unknown {self.what} {shown} (expected one of: {', '.join(options)})"
                f"{_hint(value, options)}",
            )
            return False
        return True


@dataclass
class Integer(Spec):
    minimum: int
    maximum: int

    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            r.add(path, f"expected a whole number, got {describe(value)}")
            return False
        if not self.minimum <= value <= self.maximum:
            r.add(path, f"{value} is outside {self.minimum} to {self.maximum}")
            return False
        return True


@dataclass
class Boolean(Spec):
    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if not isinstance(value, bool):
            r.add(path, f"expected true or false, got {describe(value)}")
            return False
        return True


def as_date(value: Any) -> date | None:
    """A date from a YAML date or an ISO YYYY-MM-DD string; None if it is neither."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass
class Date(Spec):
    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if as_date(value) is None:
            shown = repr(value) if isinstance(value, str) else describe(value)
            r.add(path, f"{shown} is not a valid date (expected YYYY-MM-DD, e.g. 2027-09-01)")
            return False
        return True


@dataclass
class Url(Spec):
    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if not isinstance(value, str):
            r.add(path, f"expected a URL, got {describe(value)}")
            return False
        parts = urlsplit(value)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or any(ch.isspace() for ch in value)
        ):
            r.add(path, f"{value!r} is not an absolute http(s) URL")
            return False
        return True


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    empty_message: str | None = None
    unique: bool = False

    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if not isinstance(value, list):
            r.add(path, f"expected a list, got {describe(value)}")
            return False
        ok = True
        if len(value) < self.min_items:
            r.add(path, self.empty_message or f"needs at least {self.min_items} item(s)")
            ok = False
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            ok = self.item.check(item, (*path, i), r) and ok
            if self.unique and isinstance(item, str):
                if item in seen:
                    r.add((*path, i), f"{item!r} is listed twice")
                    ok = False
                seen.setdefault(item, i)
        return ok


@dataclass
class F:
    """A field of a Record."""

    spec: Spec
    required: bool = True


@dataclass
class Record(Spec):
    fields: Mapping[str, F]
    # Cross-field rules run only when every field is well formed.
    rules: list[Callable[[dict[str, Any], PathT, Reporter], None]] = field(default_factory=list)

    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if not isinstance(value, dict):
            r.add(
                path,
                f"expected a mapping with keys {', '.join(self.fields)}, got {describe(value)}",
            )
            return False
        ok = True
        for key in value:
            if key not in self.fields:
                r.add(
                    (*path, key),
                    f"unknown key {key!r} (expected one of: {', '.join(self.fields)})"
                    f"{_hint(key, self.fields)}",
                )
                ok = False
        for name, f in self.fields.items():
            if name not in value:
                if f.required:
                    r.add((*path, name), f"missing required field {name!r}")
                    ok = False
                continue
            ok = f.spec.check(value[name], (*path, name), r) and ok
        if ok:
            for rule in self.rules:
                before = len(r.issues)
                rule(value, path, r)
                ok = ok and len(r.issues) == before
        return ok
