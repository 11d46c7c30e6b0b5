"""Each file in malformed/ has one defect; its first line says the error expected:

# expect: LINE: PATH: MESSAGE   (PATH "-" for an error about the whole file)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from frameworks import FrameworkValidationError, load_directory, load_framework
from tests.frameworks.factories import MALFORMED, SMALL_YAML

FILES = sorted(MALFORMED.glob("*.yaml"))


def expectation(path: Path) -> tuple[int, str, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} has no '# expect:' header"
    line, where, message = first.removeprefix("# expect: ").split(": ", 2)
    return int(line), "" if where == "-" else where, message


def test_there_is_a_malformed_file_for_every_kind_of_defect() -> None:
    names = {p.stem for p in FILES}
    assert {
        "duplicate-competency-id",
        "dangling-training-reference",
        "competency-without-training",
        "unknown-thrive-domain",
        "unknown-principle",
        "empty-scale",
        "threshold-outside-scale",
        "unknown-key",
        "wrong-type-number",
        "bad-date",
        "bad-version",
        "bad-id-pattern",
        "yaml-syntax-error",
        "missing-required-field",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_malformed_file_is_rejected_with_line_and_path(path: Path) -> None:
    line, where, message = expectation(path)
    loaded = None
    with pytest.raises(FrameworkValidationError) as caught:
        loaded = load_framework(path)
    assert loaded is None
    errors = caught.value.errors
    matching = [e for e in errors if e.line == line and e.path == where and message in e.message]
    assert matching, f"expected {line}: {where}: {message}; got:\n" + "\n".join(map(str, errors))
    assert all(e.file == path.name for e in errors)
    assert f"{path.name}:{line}: " in str(caught.value)


@pytest.mark.parametrize("path", FILES[:3], ids=[p.stem for p in FILES[:3]])
def test_a_malformed_file_beside_a_good_one_loads_nothing(path: Path, tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(SMALL_YAML.read_text())
    (tmp_path / path.name).write_text(path.read_text())
    with pytest.raises(FrameworkValidationError):
        load_directory(tmp_path)
