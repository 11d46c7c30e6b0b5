"""Loading: precise errors (file, line, path), all errors collected, nothing loaded on error."""

from __future__ import annotations

from pathlib import Path

import pytest

from frameworks import (
    FrameworkNotFoundError,
    FrameworkValidationError,
    ValidationIssue,
    load_directory,
    load_framework,
    parse_framework,
    validate_text,
)
from tests.frameworks.factories import SMALL_YAML, small_framework, write_framework


def test_small_file_loads(small) -> None:
    assert small.id == "small"
    assert small.review_date.isoformat() == "2027-09-01"
    assert small.training_item("send-course").url is None


def test_error_str_reads_file_line_path_message() -> None:
    issue = ValidationIssue(
        "primary.yaml",
        212,
        "domains[3].competencies[2].training[0]",
        "unknown training id 'elsa-x'",
    )
    assert str(issue) == (
        "primary.yaml:212: domains[3].competencies[2].training[0]: unknown training id 'elsa-x'"
    )


def test_all_errors_are_collected_in_line_order() -> None:
    text = SMALL_YAML.read_text()
    text = text.replace("version: 1.0.0", "version: one")
    text = text.replace("training: [send-course]", "training: [elsa-x]")
    text = text.replace("thrive: getting-help", "thrive: getting-halp")
    with pytest.raises(FrameworkValidationError) as caught:
        parse_framework(text, "small.yaml")
    got = [(e.line, e.path) for e in caught.value.errors]
    assert got == [
        (7, "framework.version"),
        (94, "domains[1].competencies[0].training[0]"),
        (115, "training[1].thrive"),
    ]
    assert "3 errors" in str(caught.value)


def test_missing_file_is_a_validation_error(tmp_path: Path) -> None:
    with pytest.raises(FrameworkValidationError, match="no such file"):
        load_framework(tmp_path / "missing.yaml")


def test_validate_text_returns_issues_or_nothing() -> None:
    assert validate_text(SMALL_YAML.read_text()) == []
    issues = validate_text("framework: {}\n", "x.yaml")
    assert {i.path for i in issues} >= {"framework.id", "scale", "domains", "training"}


def test_date_given_as_quoted_text_is_accepted() -> None:
    text = SMALL_YAML.read_text().replace("review_date: 2027-09-01", 'review_date: "2027-09-01"')
    assert parse_framework(text).review_date.year == 2027


def test_top_level_list_is_a_clear_error() -> None:
    with pytest.raises(FrameworkValidationError, match="expected a mapping"):
        parse_framework("- a\n- b\n", "x.yaml")


def test_directory_with_one_bad_file_loads_nothing(tmp_path: Path) -> None:
    write_framework(tmp_path, small_framework())
    bad = tmp_path / "broken.yaml"
    bad.write_text(
        SMALL_YAML.read_text()
        .replace("id: small", "id: broken")
        .replace("phase: primary", "phase: infant")
    )
    with pytest.raises(FrameworkValidationError) as caught:
        load_directory(tmp_path)
    assert [e.file for e in caught.value.errors] == ["broken.yaml"]


def test_directory_file_name_must_match_id(tmp_path: Path) -> None:
    write_framework(tmp_path, small_framework(), "other.yaml")
    with pytest.raises(FrameworkValidationError, match="must match the file name 'other'"):
        load_directory(tmp_path)


def test_registry_by_id(tmp_path: Path) -> None:
    write_framework(tmp_path, small_framework())
    registry = load_directory(tmp_path)
    assert list(registry) == ["small"]
    assert registry["small"].title == "Small test framework"
    with pytest.raises(FrameworkNotFoundError, match="available: small"):
        registry["nope"]
