"""Local overlays: add, hide, relabel; surviving a new base version; precise errors."""

from __future__ import annotations

import warnings

import pytest

from frameworks import (
    Framework,
    FrameworkValidationError,
    OverlayError,
    OverlayWarning,
    apply_overlay,
    parse_overlay,
    resolve_overlay,
)
from tests.frameworks.factories import overlay_yaml, reworded, with_version

OVERLAY = overlay_yaml(
    """\
add:
  training:
    - id: swl-early-help
      title: Sandwell early help briefing
      provider: Sandwell Children's Trust
      reach: local
      format: webinar
      duration_minutes: 60
      cost: free
      thrive: getting-advice
      last_checked: 2026-10-01
  roles:
    - id: swl-youth-worker
      label: Youth worker
      group: enhanced
  competencies:
    - domain: noticing
      id: swl-not-01
      statement: I know how to contact the Sandwell early help hub.
      indicators: [I have the hub's number to hand.]
      group: core
      training: [swl-early-help]
  links:
    - competency: sm-not-01
      training: [swl-early-help]
hide:
  training: [send-course]
  competencies: [sm-lead-01]
  roles: [caretaker]
relabel:
  domains:
    - id: noticing
      title: Noticing need (Sandwell)
  roles:
    - id: teacher
      label: Teacher or tutor
      group: targeted
"""
)


def test_overlay_adds_hides_and_relabels(small: Framework) -> None:
    result = resolve_overlay(small, parse_overlay(OVERLAY, "swl.yaml"))
    fw = result.framework
    assert result.warnings == ()
    assert (fw.id, fw.iri, fw.version) == (small.id, small.iri, small.version)
    assert [c.id for c in fw.competencies] == ["sm-not-01", "sm-not-02", "swl-not-01"]
    assert fw.domain("noticing").title == "Noticing need (Sandwell)"
    assert [d.id for d in fw.domains] == ["noticing"]  # leading lost its only competency
    assert fw.competency("sm-not-01").training == ("intro", "swl-early-help")
    assert fw.competency("sm-not-02").training == ("intro",)  # send-course hidden
    assert "send-course" not in {t.id for t in fw.training}
    assert fw.role_mapping() == {
        "teacher": "targeted",
        "senco": "targeted",
        "swl-youth-worker": "enhanced",
    }
    assert fw.group("core").example_roles == ()
    assert fw.competency_iri("sm-not-01") == small.competency_iri("sm-not-01")


def test_overlay_survives_a_new_base_version_with_a_reworded_competency(small) -> None:
    overlay = parse_overlay(OVERLAY, "swl.yaml")
    new_base = reworded(small, "sm-not-02", "I can recognise distress without words.", "1.1.0")
    fw = apply_overlay(new_base, overlay)
    assert fw.version == "1.1.0"
    assert fw.competency("sm-not-02").statement == "I can recognise distress without words."
    assert "swl-not-01" in {c.id for c in fw.competencies}


def test_hiding_something_the_base_no_longer_has_warns(small: Framework) -> None:
    overlay = parse_overlay(
        overlay_yaml("hide:\n  competencies: [sm-gone-01]\n  training: [old-course]\n"),
        "swl.yaml",
    )
    with pytest.warns(OverlayWarning) as record:
        fw = apply_overlay(small, overlay)
    messages = [str(w.message) for w in record]
    assert messages == [
        "swl.yaml:8: hide.competencies[0]: no competency 'sm-gone-01' in small 1.0.0; "
        "nothing to hide",
        "swl.yaml:9: hide.training[0]: no training item 'old-course' in small 1.0.0; "
        "nothing to hide",
    ]
    assert fw == small


def test_relabel_and_link_of_missing_items_warn(small: Framework) -> None:
    overlay = parse_overlay(
        overlay_yaml(
            "relabel:\n  competencies:\n    - id: sm-gone\n      statement: x\n"
            "add:\n  links:\n    - competency: sm-gone\n      training: [intro]\n"
        ),
        "o.yaml",
    )
    result = resolve_overlay(small, overlay)
    assert len(result.warnings) == 2
    assert "relabel skipped" in result.warnings[0]
    assert "links skipped" in result.warnings[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(OverlayWarning):
            apply_overlay(small, overlay)


def test_overlay_for_another_base_or_version_is_refused(small: Framework) -> None:
    with pytest.raises(OverlayError, match="adapts framework 'primary', not 'small'"):
        apply_overlay(small, parse_overlay(overlay_yaml("", base="primary"), "o.yaml"))
    with pytest.raises(OverlayError, match=r"versions >=1.0,<2, but the base is 2.0.0"):
        apply_overlay(with_version(small, "2.0.0"), parse_overlay(overlay_yaml(""), "o.yaml"))


def test_added_id_clashing_with_the_base_is_an_error_with_its_line(small: Framework) -> None:
    text = overlay_yaml(
        "add:\n  roles:\n    - id: teacher\n      label: Teacher\n      group: enhanced\n"
    )
    with pytest.raises(FrameworkValidationError) as caught:
        apply_overlay(small, parse_overlay(text, "o.yaml"))
    assert str(caught.value.errors[0]).startswith("o.yaml:9: add.roles[0].id: 'teacher' is already")


def test_hiding_the_only_training_is_an_error(small: Framework) -> None:
    text = overlay_yaml("hide:\n  training: [intro]\n")
    with pytest.raises(FrameworkValidationError, match="leaves competency 'sm-not-01' with no"):
        apply_overlay(small, parse_overlay(text, "o.yaml"))


def test_hiding_the_only_training_with_a_replacement_link_is_fine(small: Framework) -> None:
    text = overlay_yaml(
        "hide:\n  training: [intro]\n"
        "add:\n  links:\n    - competency: sm-not-01\n      training: [send-course]\n"
    )
    fw = apply_overlay(small, parse_overlay(text, "o.yaml"))
    assert fw.competency("sm-not-01").training == ("send-course",)


@pytest.mark.parametrize(
    ("body", "line", "path", "message"),
    [
        ("hide:\n  competences: [x]\n", 8, "hide.competences", "unknown key 'competences'"),
        (
            "add:\n  competencies:\n    - domain: noticing\n      id: x\n",
            9,
            "add.competencies[0].statement",
            "missing required field 'statement'",
        ),
        (
            "relabel:\n  groups:\n    - id: everyone\n",
            9,
            "relabel.groups[0].id",
            "unknown group 'everyone'",
        ),
        ("add:\n  training:\n    - id: Bad_Id\n", 9, "add.training[0].id", "not a valid id"),
    ],
)
def test_overlays_are_validated_with_precise_errors(body, line, path, message) -> None:
    with pytest.raises(FrameworkValidationError) as caught:
        parse_overlay(overlay_yaml(body), "o.yaml")
    assert any(
        e.line == line and e.path == path and message in e.message for e in caught.value.errors
    ), "\n".join(map(str, caught.value.errors))


def test_bad_version_range_in_overlay() -> None:
    with pytest.raises(FrameworkValidationError) as caught:
        parse_overlay(overlay_yaml("", versions="about 1"), "o.yaml")
    error = caught.value.errors[0]
    assert (error.line, error.path) == (6, "overlay.base_versions")
