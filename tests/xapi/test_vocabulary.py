"""The vocabulary is the one home of every xAPI IRI, and matches the agreed table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import xapi
from tests.xapi.oracle import ralph_validate  # noqa: F401 - proves Ralph imports here
from xapi.iri import is_iri
from xapi.vocabulary import (
    EXTENSION_DISPLAY,
    VALID_UNTIL,
    ActivityTypes,
    Extension,
    Verbs,
    Vocabulary,
)

XAPI_DIR = Path(xapi.__file__).parent
# xAPI IRIs are http(s) or URNs; database URLs (sqlite://…) are not what this guards.
IRI_TEXT = re.compile(r"\b(https?://\S|urn:[a-z0-9-]+:)", re.IGNORECASE)


def _string_constants(tree: ast.AST) -> list[ast.Constant]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize(
    "path",
    sorted(p for p in XAPI_DIR.rglob("*.py") if p.name != "vocabulary.py"),
    ids=lambda p: str(p.relative_to(XAPI_DIR)),
)
def test_no_module_but_vocabulary_holds_an_iri(path: Path) -> None:
    tree = ast.parse(path.read_text())
    found = [node.value for node in _string_constants(tree) if IRI_TEXT.search(node.value)]
    assert found == [], f"{path.relative_to(XAPI_DIR.parent)} holds IRI strings: {found}"


def test_the_scan_would_catch_an_iri_outside_the_vocabulary() -> None:
    tree = ast.parse('"""Doc https://ok.example/."""\nVERB = "http://adlnet.gov/expapi/verbs/x"\n')
    assert [node.value for node in _string_constants(tree)] == ["http://adlnet.gov/expapi/verbs/x"]


def test_verbs_and_activity_types_match_the_agreed_table() -> None:
    assert {term.iri for term in Verbs.ALL} == {
        "http://adlnet.gov/expapi/verbs/answered",
        "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/attended",
        "http://adlnet.gov/expapi/verbs/registered",
        "http://adlnet.gov/expapi/verbs/launched",
    }
    assert {
        "http://adlnet.gov/expapi/activities/question",
        "http://adlnet.gov/expapi/activities/assessment",
        "http://adlnet.gov/expapi/activities/course",
        "http://adlnet.gov/expapi/activities/meeting",
        "http://activitystrea.ms/schema/1.0/application",
        "https://w3id.org/xapi/tla/activity-types/competency",
    } <= {term.iri for term in ActivityTypes.ALL}
    assert VALID_UNTIL.iri == "http://id.tincanapi.com/extension/valid-until"


def test_every_term_is_an_iri_with_a_display_name() -> None:
    for term in (*Verbs.ALL, *ActivityTypes.ALL, VALID_UNTIL):
        assert is_iri(term.iri), term
        assert term.display.strip(), term
    assert set(EXTENSION_DISPLAY) == set(Extension)


def test_verb_displays_are_the_last_segment_of_their_iri() -> None:
    for verb in Verbs.ALL:
        assert verb.iri.rsplit("/", 1)[1] == verb.display


def test_tool_owned_extensions_live_under_the_configured_base() -> None:
    default = Vocabulary()
    assert default.extension(Extension.LEVEL_ID) == (
        "https://semh-lti.org/xapi/extensions/level-id"
    )
    own = Vocabulary(extension_base="https://lrs.example.org/x/")
    assert {own.extension(item) for item in Extension} == {
        f"https://lrs.example.org/x/{item.value}" for item in Extension
    }


@pytest.mark.parametrize("base", ["https://no-slash.example", "urn:semh:", "ftp://x.example/"])
def test_a_base_must_be_an_http_iri_ending_with_a_slash(base: str) -> None:
    with pytest.raises(ValueError, match="extension_base"):
        Vocabulary(extension_base=base)


def test_derived_activity_iris_are_valid_and_keep_the_source_iri_recoverable() -> None:
    vocabulary = Vocabulary()
    source = "https://case.example.org/uri/3f2a?x=1#frag"
    for derived in (
        vocabulary.self_rating_iri(source),
        vocabulary.self_assessment_iri(source),
        vocabulary.training_iri("papyrus sp/ot"),
    ):
        assert is_iri(derived), derived
        assert derived.startswith(vocabulary.activity_base)
    assert vocabulary.self_rating_iri(source) != vocabulary.self_rating_iri(source + "x")
