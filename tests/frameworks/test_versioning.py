"""diff, carry_forward and the version-bump rule."""

from __future__ import annotations

import pytest

from frameworks import (
    Framework,
    Version,
    VersionRange,
    carry_forward,
    check_version_bump,
    diff,
)
from tests.frameworks.factories import competency_data, edit, reworded, with_version


def test_version_parsing_and_order() -> None:
    assert Version.parse("1.10.0") > Version.parse("1.9.9")
    assert str(Version.parse("2.0.1")) == "2.0.1"
    for bad in ("1.0", "01.0.0", "1.0.0-rc1", "v1.0.0"):
        with pytest.raises(ValueError, match="not a version"):
            Version.parse(bad)


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        (">=1.0,<2", ["1.0.0", "1.9.9"], ["0.9.9", "2.0.0"]),
        ("==1.2.3", ["1.2.3"], ["1.2.4"]),
        (">1, !=1.5", ["1.0.1", "1.6.0"], ["1.0.0", "1.5.0"]),
    ],
)
def test_version_ranges(text: str, inside, outside) -> None:
    r = VersionRange.parse(text)
    assert all(v in r for v in inside)
    assert not any(v in r for v in outside)


def test_bad_version_range() -> None:
    with pytest.raises(ValueError, match="not a version clause"):
        VersionRange.parse("1.0 to 2.0")


def test_diff_finds_added_removed_reworded_unchanged(small: Framework) -> None:
    def change(data) -> None:
        data["framework"]["version"] = "1.1.0"
        competency_data(data, "sm-not-02")["indicators"].append("I use the child's AAC.")
        data["domains"][1]["competencies"] = [
            {
                "id": "sm-lead-02",
                "statement": "I can lead.",
                "indicators": ["x"],
                "group": "targeted",
                "send": False,
                "training": ["intro"],
            }
        ]

    new = edit(small, change)
    d = diff(small, new)
    assert d.added == ("sm-lead-02",)
    assert d.removed == ("sm-lead-01",)
    assert [(r.id, r.fields) for r in d.reworded] == [("sm-not-02", ("indicators",))]
    assert d.unchanged == ("sm-not-01",)
    assert d.content_changed


def test_group_and_send_changes_count_as_rewording(small: Framework) -> None:
    def change(data) -> None:
        comp = competency_data(data, "sm-not-01")
        comp["group"], comp["send"] = "enhanced", True

    d = diff(small, edit(small, change))
    assert [(r.id, r.fields) for r in d.reworded] == [("sm-not-01", ("group", "send"))]


def test_training_change_is_a_link_change_and_keeps_competency_unchanged(small) -> None:
    def change(data) -> None:
        competency_data(data, "sm-not-01")["training"] = ["send-course"]
        data["training"][0]["url"] = "https://example.org/new"

    d = diff(small, edit(small, change))
    assert "sm-not-01" in d.unchanged
    assert d.relinked == ("sm-not-01",)
    assert "training intro changed" in d.link_changes
    assert not d.content_changed and d.links_changed


def test_ratings_of_unchanged_competencies_carry_forward(small: Framework) -> None:
    new = reworded(small, "sm-not-02", "I can recognise distress without words.", "1.1.0")
    ratings = {
        "sm-not-01": "confident",
        "sm-not-02": "not-yet",
        "sm-lead-01": "prior-qualification",
    }
    assert carry_forward(ratings, diff(small, new)) == {
        "sm-not-01": "confident",
        "sm-lead-01": "prior-qualification",
    }


def test_nothing_carries_forward_when_the_scale_levels_change(small: Framework) -> None:
    def change(data) -> None:
        data["scale"]["levels"][0]["id"] = "beginning"
        data["framework"]["version"] = "2.0.0"

    d = diff(small, edit(small, change))
    assert not d.scale_compatible and d.content_changed
    assert carry_forward({"sm-not-01": "confident"}, d) == {}


def test_diff_refuses_two_different_frameworks(small: Framework) -> None:
    other = edit(small, lambda data: data["framework"].update(id="other"))
    with pytest.raises(ValueError, match="different frameworks"):
        diff(small, other)


@pytest.mark.parametrize(
    ("version", "ok"), [("1.0.1", False), ("1.1.0", True), ("2.0.0", True), ("1.0.0", False)]
)
def test_content_change_needs_minor_or_major(small: Framework, version: str, ok: bool) -> None:
    new = reworded(small, "sm-not-01", "I can notice changes in mood.", version)
    verdict = check_version_bump(small, new)
    assert verdict.ok is ok
    assert verdict.required == "minor"
    if not ok:
        assert "needs a new minor or major version (e.g. 1.1.0)" in verdict.message
        assert "1 competency reworded" in verdict.message


@pytest.mark.parametrize(("version", "ok"), [("1.0.0", False), ("1.0.1", True), ("1.1.0", True)])
def test_link_only_change_needs_at_least_a_patch(small: Framework, version: str, ok: bool) -> None:
    def change(data) -> None:
        data["training"][1]["url"] = "https://example.org/local"
        data["framework"]["version"] = version

    verdict = check_version_bump(small, edit(small, change))
    assert verdict.required == "patch"
    assert verdict.ok is ok
    if not ok:
        assert "needs at least a new patch version (e.g. 1.0.1)" in verdict.message


def test_role_mapping_change_is_link_only(small: Framework) -> None:
    def change(data) -> None:
        data["roles"][0]["group"] = "enhanced"

    verdict = check_version_bump(small, edit(small, change))
    assert (verdict.ok, verdict.required) == (False, "patch")


def test_version_going_backwards_is_refused(small: Framework) -> None:
    verdict = check_version_bump(with_version(small, "1.2.0"), small)
    assert not verdict.ok and "backwards" in verdict.message


def test_no_change_same_version_is_fine(small: Framework) -> None:
    verdict = check_version_bump(small, small)
    assert verdict.ok and verdict.required == "none"
