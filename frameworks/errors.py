"""Errors and warnings raised by the frameworks package."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ValidationIssue:
    """One problem in a source file: where it is and what is wrong.

    `line` is 1-based, or None when the source has no lines (an in-memory framework).
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class FrameworkError(Exception):
    """Base class for every error this package raises on purpose."""


class FrameworkValidationError(FrameworkError):
    """A source had one or more problems; nothing was loaded. `errors` lists them all."""

    def __init__(self, errors: Iterable[ValidationIssue]) -> None:
        self.errors: tuple[ValidationIssue, ...] = tuple(errors)
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.errors)
        head = f"{n} error{'s' if n != 1 else ''}"
        return head + ":\n" + "\n".join(str(e) for e in self.errors)


class FrameworkNotFoundError(FrameworkError, KeyError):
    """No shipped framework has the id asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "framework not found"


class OverlayError(FrameworkError):
    """An overlay cannot be applied to this base framework at all (e.g. wrong id or version)."""


class OverlayWarning(UserWarning):
    """An overlay refers to something the base no longer has; that part was skipped."""
