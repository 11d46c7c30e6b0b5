"""Role -> group mapping: overrides, the highest-group rule, and role search."""

from __future__ import annotations

import pytest

from frameworks import (
    Framework,
    GroupSuggestion,
    RoleMappingError,
    apply_role_overrides,
    search_roles,
    suggest_group,
)


def test_overrides_apply_on_top_of_the_framework_mapping(small: Framework) -> None:
    mapping = apply_role_overrides(small.role_mapping(), {"caretaker": "enhanced"})
    assert mapping == {"caretaker": "enhanced", "teacher": "enhanced", "senco": "targeted"}
    assert small.role_mapping()["caretaker"] == "core"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"janitor": "core"}, "unknown role 'janitor'"), ({"teacher": "all"}, "unknown group 'all'")],
)
def test_bad_overrides_are_refused(small: Framework, overrides, message: str) -> None:
    with pytest.raises(RoleMappingError, match=message):
        apply_role_overrides(small.role_mapping(), overrides)


def test_several_roles_take_the_highest_group_and_say_which_role(small: Framework) -> None:
    mapping = small.role_mapping()
    assert suggest_group(["caretaker", "senco", "teacher"], mapping) == GroupSuggestion(
        "targeted", "senco"
    )
    assert suggest_group(["caretaker"], mapping) == GroupSuggestion("core", "caretaker")


def test_ties_are_decided_by_the_first_role(small: Framework) -> None:
    mapping = apply_role_overrides(small.role_mapping(), {"caretaker": "enhanced"})
    assert suggest_group(["teacher", "caretaker"], mapping).decided_by == "teacher"


def test_overrides_change_the_suggestion(small: Framework) -> None:
    mapping = apply_role_overrides(small.role_mapping(), {"caretaker": "targeted"})
    assert suggest_group(["caretaker", "teacher"], mapping) == GroupSuggestion(
        "targeted", "caretaker"
    )


def test_no_roles_or_unknown_role_is_an_error(small: Framework) -> None:
    with pytest.raises(RoleMappingError, match="no roles"):
        suggest_group([], small.role_mapping())
    with pytest.raises(RoleMappingError, match="unknown role 'pilot'"):
        suggest_group(["pilot"], small.role_mapping())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sen", ["senco"]),
        ("SPECIAL educational", ["senco"]),
        ("Janitor", ["caretaker"]),
        ("teacher", ["teacher"]),
        ("site", ["caretaker"]),
        ("", ["caretaker", "teacher", "senco"]),
        ("astronaut", []),
    ],
)
def test_role_search_by_label_and_keywords(small: Framework, query: str, expected) -> None:
    assert [r.id for r in search_roles(small.roles, query)] == expected


def test_search_puts_label_matches_first(shipped) -> None:
    found = search_roles(shipped["primary"].roles, "teach")
    assert found, "no roles found for 'teach'"
    assert found[0].label.lower().startswith("teach")
