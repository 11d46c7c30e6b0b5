"""Our IRI check never accepts what RFC 3987 (the rfc3987 package Ralph uses) rejects."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rfc3987 import match

from tests.xapi import strategies
from xapi.iri import is_iri


@pytest.mark.parametrize(
    "value",
    [
        "http://adlnet.gov/expapi/verbs/answered",
        "https://semh-lti.org/xapi/activities/self-rating?competency=https%3A%2F%2Fx.org%2Fa",
        "urn:uuid:2b7c1f0e-4d53-5a6e-9c0f-8a1d3e5b7c90",
        "mailto:someone@example.org",
        "https://münchen.example/straße#teil",
        "https://user@host.example:8443/a/b/?q#f",
    ],
)
def test_real_iris_are_accepted(value: str) -> None:
    assert is_iri(value)
    assert match(value, rule="IRI")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "pri-not-01",
        "/relative/path",
        "https://a b.example/",
        "https://x.example/<tag>",
        "https://x.example/a#b#c",
        "https://x.example/%zz",
        "1http://x.example/",
        "http://x\n",
        'https://x.example/"quoted"',
        "https://x.example/{id}",
    ],
)
def test_non_iris_are_rejected(value: str) -> None:
    assert not is_iri(value)


@settings(max_examples=2000, deadline=None)
@given(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40).map(
        lambda tail: "https://x.example/" + tail
    )
    | st.text(max_size=30)
    | strategies.iris
)
@example("http://[::1]/")
@example("a:")
def test_anything_we_accept_rfc3987_accepts(value: str) -> None:
    if is_iri(value):
        assert match(value, rule="IRI"), value
