"""Role -> group mapping: deployment overrides, the highest-group rule, and role search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from frameworks.model import Role, group_rank
from frameworks.vocab import GROUPS


class RoleMappingError(ValueError):
    """An override or a role list names a role or group that does not exist."""


def apply_role_overrides(
    mapping: Mapping[str, str], overrides: Mapping[str, str]
) -> dict[str, str]:
    """The framework's role -> group mapping with a deployment's overrides applied on top.

    Overrides may only move known roles between known groups; a typo in either is an error
    rather than a silently ignored setting. (Adding new roles is what overlays are for.)
    """
    problems = []
    for role_id, group in overrides.items():
        if role_id not in mapping:
            problems.append(f"unknown role {role_id!r}")
        if group not in GROUPS:
            problems.append(
                f"role {role_id!r}: unknown group {group!r} (expected one of: {', '.join(GROUPS)})"
            )
    if problems:
        raise RoleMappingError("; ".join(problems))
    return {**mapping, **overrides}


@dataclass(frozen=True)
class GroupSuggestion:
    """The group a person should take, and the role that decided it (for "why?" in the UI)."""

    group: str
    decided_by: str


def suggest_group(roles: Iterable[str], mapping: Mapping[str, str]) -> GroupSuggestion:
    """A person holding several roles takes the highest group among them.

    On a tie the first role listed decides. Raises RoleMappingError for no roles or an
    unknown role.
    """
    best: GroupSuggestion | None = None
    for role_id in roles:
        if role_id not in mapping:
            raise RoleMappingError(f"unknown role {role_id!r}")
        group = mapping[role_id]
        if best is None or group_rank(group) > group_rank(best.group):
            best = GroupSuggestion(group, role_id)
    if best is None:
        raise RoleMappingError("no roles given; choose at least one role")
    return best


def search_roles(roles: Sequence[Role], query: str) -> tuple[Role, ...]:
    """Roles whose label, keywords or id contain every word of `query`, case-insensitively.

    Best matches first: label starts with the query, then label contains it, then the rest;
    ties keep the framework's order. An empty query returns every role.
    """
    words = query.casefold().split()
    if not words:
        return tuple(roles)
    phrase = " ".join(words)
    scored = []
    for position, role in enumerate(roles):
        label = role.label.casefold()
        haystack = " ".join((label, role.id.replace("-", " "), *role.keywords)).casefold()
        if not all(w in haystack for w in words):
            continue
        if label.startswith(phrase):
            score = 0
        elif phrase in label:
            score = 1
        elif any(k.casefold().startswith(phrase) for k in role.keywords):
            score = 2
        else:
            score = 3
        scored.append((score, position, role))
    return tuple(role for _, _, role in sorted(scored, key=lambda t: (t[0], t[1])))
