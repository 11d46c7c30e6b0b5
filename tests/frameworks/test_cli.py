"""The `frameworks` command, including bad input: clear messages, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from frameworks import export_case_json, export_moodle_csv, load_framework, parse_framework
from frameworks.cli import cli, detect_format
from tests.frameworks.factories import (
    MALFORMED,
    SMALL_YAML,
    reworded,
    small_framework,
    write_framework,
)


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_validate_good_file_prints_one_summary_line() -> None:
    result = run("validate", str(SMALL_YAML))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("small.yaml: ok — small 1.0.0 (primary): 2 domains, 3 competencies")
    assert all(line.startswith("small.yaml: advice: ") for line in lines[1:])


def test_validate_lists_every_error_and_exits_1() -> None:
    files = [MALFORMED / "bad-date.yaml", MALFORMED / "duplicate-training-id.yaml", SMALL_YAML]
    result = run("validate", *map(str, files))
    assert result.exit_code == 1
    assert (
        "bad-date.yaml:10: framework.review_date: '2027-13-01' is not a valid date" in result.stderr
    )
    assert result.stderr.count("duplicate-training-id.yaml:") == 3
    assert "2 of 3 file(s) failed validation." in result.stderr
    assert "small.yaml: ok" in result.stdout


def test_validate_missing_file() -> None:
    result = run("validate", "no/such/file.yaml")
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_validate_overlay(tmp_path: Path) -> None:
    path = tmp_path / "o.yaml"
    path.write_text(
        "overlay:\n  id: o\n  title: O\n  publisher: P\n  base: small\n"
        '  base_versions: ">=1.0,<2"\n'
    )
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert "o.yaml: ok — overlay o for small >=1.0,<2" in result.stdout


def test_list_shows_shipped_frameworks(shipped) -> None:
    result = run("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "phase", "version"]
    assert [line.split()[0] for line in lines[1:]] == list(shipped)


@pytest.mark.parametrize("fmt", ["moodle-csv", "case-json"])
def test_export_then_import_gives_the_same_framework(tmp_path: Path, fmt: str) -> None:
    exported = tmp_path / "out"
    assert run("export", str(SMALL_YAML), "--format", fmt, "-o", str(exported)).exit_code == 0
    result = run("import", str(exported))
    assert result.exit_code == 0
    assert parse_framework(result.stdout) == small_framework()


def test_export_shipped_by_id(shipped) -> None:
    result = run("export", "primary", "--format", "case-json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["CFDocument"]["title"] == shipped["primary"].title


def test_import_writes_yaml_file(tmp_path: Path) -> None:
    source = tmp_path / "small.csv"
    source.write_text(export_moodle_csv(small_framework()))
    out = tmp_path / "small.yaml"
    assert run("import", str(source), "-o", str(out)).exit_code == 0
    assert load_framework(out) == small_framework()


def test_import_of_invalid_file_lists_errors_and_draft_writes_anyway(tmp_path: Path) -> None:
    source = tmp_path / "broken.json"
    package = json.loads(export_case_json(small_framework()))
    package["CFDocument"]["notes"] = "Framework id: small"
    source.write_text(json.dumps(package))
    result = run("import", str(source))
    assert result.exit_code == 1
    assert "broken.json: framework.phase: missing required field 'phase'" in result.stderr
    draft = run("import", str(source), "--draft")
    assert draft.exit_code == 0
    assert "to complete: broken.json: framework.phase" in draft.stderr
    assert draft.stdout.startswith("# DRAFT imported from broken.json")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "nope", "--format", "moodle-csv"], 1, "no shipped framework 'nope'"),
        (["export", "missing.yaml", "--format", "moodle-csv"], 1, "no such file: missing.yaml"),
        (["export", "primary", "--format", "pdf"], 2, "'pdf' is not one of"),
        (["import", "missing.csv"], 1, "no such file"),
        (["import", str(SMALL_YAML), "--format", "xml"], 2, "'xml' is not one of"),
        (["audit", "primary", "--group", "everyone"], 2, "'everyone' is not one of"),
        (["diff", "nope", "primary"], 1, "no shipped framework 'nope'"),
        (
            ["export", str(MALFORMED / "bad-date.yaml"), "--format", "case-json"],
            1,
            "bad-date.yaml:10: framework.review_date",
        ),
    ],
)
def test_bad_input_gives_a_message_not_a_traceback(args, code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.output


def test_import_of_garbage_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.bin"
    path.write_bytes(b"\xff\xfe\x00binary")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "Error:" in result.output


def test_diff_lists_changes_and_checks_the_bump(tmp_path: Path) -> None:
    old = write_framework(tmp_path, small_framework(), "old.yaml")
    new_fw = reworded(small_framework(), "sm-not-01", "I can notice mood changes.", "1.0.1")
    new = write_framework(tmp_path, new_fw, "new.yaml")
    result = run("diff", str(old), str(new))
    assert result.exit_code == 1
    assert "Reworded (1):\n  sm-not-01 (statement)" in result.stdout
    assert "Unchanged: 2 competencies" in result.stdout
    assert "NOT OK: version 1.0.0 -> 1.0.1 is not enough" in result.stdout
    good = write_framework(
        tmp_path, reworded(small_framework(), "sm-not-01", "x", "1.1.0"), "g.yaml"
    )
    assert run("diff", str(old), str(good)).exit_code == 0


def test_audit_writes_html(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    result = run("audit", str(SMALL_YAML), "--group", "enhanced", "--send", "-o", str(out))
    assert result.exit_code == 0
    assert "do not use speech" in out.read_text()


def test_detect_format() -> None:
    small = small_framework()
    assert detect_format(export_moodle_csv(small)) == "moodle-csv"
    assert detect_format(export_case_json(small)) == "case-json"
    assert detect_format(SMALL_YAML.read_text()) == "yaml"
