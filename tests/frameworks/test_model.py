"""The model's queries: cumulative groups, SEND overlay, IRIs, training links, scale order."""

from __future__ import annotations

import dataclasses

import pytest

from frameworks import NOT_APPLICABLE, PRIOR_QUALIFICATION, Framework, group_rank, groups_up_to


def ids(competencies: tuple) -> list[str]:
    return [c.id for c in competencies]


def test_competencies_for_is_cumulative_and_leaves_send_out_by_default(small: Framework) -> None:
    assert ids(small.competencies_for("core")) == ["sm-not-01"]
    assert ids(small.competencies_for("enhanced")) == ["sm-not-01"]
    assert ids(small.competencies_for("targeted")) == ["sm-not-01", "sm-lead-01"]


def test_competencies_for_includes_send_when_asked(small: Framework) -> None:
    assert ids(small.competencies_for("core", include_send=True)) == ["sm-not-01"]
    assert ids(small.competencies_for("enhanced", include_send=True)) == ["sm-not-01", "sm-not-02"]
    assert len(small.competencies_for("targeted", include_send=True)) == 3


def test_unknown_group_is_an_error(small: Framework) -> None:
    with pytest.raises(ValueError, match="unknown group 'everyone'"):
        small.competencies_for("everyone")


def test_competency_iri_is_framework_iri_plus_id(small: Framework) -> None:
    assert small.competency_iri("sm-not-01") == (
        "https://example.org/frameworks/small/competencies/sm-not-01"
    )
    with pytest.raises(KeyError):
        small.competency_iri("nope")


def test_training_links_both_ways(small: Framework) -> None:
    assert [t.id for t in small.training_for("sm-not-02")] == ["intro", "send-course"]
    assert ids(small.competencies_for_training("send-course")) == ["sm-not-02", "sm-lead-01"]
    assert ids(small.competencies_for_training("intro")) == ["sm-not-01", "sm-not-02"]


def test_domain_of(small: Framework) -> None:
    assert small.domain_of("sm-lead-01").id == "leading"
    assert small.domain_of("sm-not-02").title == "Noticing and identifying need"


def test_scale_order_and_threshold(small: Framework) -> None:
    scale = small.scale
    assert scale.level_ids == ("not-yet", "some-awareness", "confident")
    assert [scale.rank(i) for i in scale.level_ids] == [0, 1, 2]
    assert not small.is_proficient("some-awareness")
    assert small.is_proficient("confident")
    assert small.is_proficient(PRIOR_QUALIFICATION)
    assert not small.is_proficient(NOT_APPLICABLE)
    assert scale.is_gap("not-yet") and not scale.is_gap(NOT_APPLICABLE)
    assert scale.rating_ids[-2:] == (NOT_APPLICABLE, PRIOR_QUALIFICATION)
    assert scale.label_of(NOT_APPLICABLE) == "Not applicable to my role"
    with pytest.raises(KeyError, match="unknown level 'expert'"):
        small.is_proficient("expert")


def test_group_ordering() -> None:
    assert [group_rank(g) for g in ("core", "enhanced", "targeted")] == [0, 1, 2]
    assert groups_up_to("enhanced") == ("core", "enhanced")


def test_competency_applies_to_its_group_and_above(small: Framework) -> None:
    comp = small.competency("sm-not-02")
    assert [comp.applies_to(g) for g in ("core", "enhanced", "targeted")] == [False, True, True]


def test_framework_is_immutable_and_hashable(small: Framework) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        small.version = "2.0.0"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        small.domains[0].competencies[0].statement = "x"  # type: ignore[misc]
    assert hash(small) == hash(dataclasses.replace(small))


def test_role_mapping(small: Framework) -> None:
    assert small.role_mapping() == {"caretaker": "core", "teacher": "enhanced", "senco": "targeted"}
