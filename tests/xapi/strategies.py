"""Hypothesis strategies for builder inputs, wide enough to find what a fixed sample misses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from xapi.inputs import (
    NOT_APPLICABLE,
    PRIOR_QUALIFICATION,
    CompetencyRef,
    Disclosure,
    FrameworkRef,
    Organisation,
    Person,
    ScaleLevel,
    TrainingRef,
)

# Any printable text a person might type, in any script (no lone surrogates: not valid UTF-8).
text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
slugs = st.from_regex(r"[a-z0-9][a-z0-9.-]{0,15}", fullmatch=True)
hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,6}){1,2}", fullmatch=True)
iris = st.builds(
    lambda scheme, host, path, query: f"{scheme}://{host}/{'/'.join(path)}{query}",
    st.sampled_from(["https", "http"]),
    hosts,
    st.lists(slugs, max_size=4),
    st.sampled_from(["", "?id=3", "#part", "?a=b&c=d"]),
)
emails = st.builds(
    lambda local, host: f"{local}@{host}",
    st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,10}[a-z0-9]", fullmatch=True),
    hosts,
)
# Hypothesis bounds are naive by its API; the drawn values carry UTC.
timestamps = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2099, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3))

people = st.builds(Person, issuer=iris, sub=text, name=st.none() | text, email=st.none() | emails)
disclosures = st.builds(
    Disclosure, names=st.booleans(), emails=st.booleans(), evidence_notes=st.booleans()
)
frameworks = st.builds(
    FrameworkRef,
    iri=iris,
    title=text,
    version=st.from_regex(r"\d{1,2}\.\d{1,2}\.\d{1,2}", fullmatch=True),
    phase=st.none()
    | st.sampled_from(["early-years", "primary", "secondary", "college", "multi-agency"]),
)
competencies = st.builds(CompetencyRef, iri=iris, statement=text)
organisations = st.none() | st.builds(Organisation, id=text, name=st.none() | text)
groups = st.none() | st.sampled_from(["core", "enhanced", "targeted"])
trainings = st.builds(
    TrainingRef, iri=iris, title=text, provider=st.none() | text, live=st.booleans()
)


@st.composite
def scales(draw: st.DrawFn) -> tuple[ScaleLevel, ...]:
    """A rating scale: two or more ordinary levels plus the two special ones."""
    ids = draw(
        st.lists(slugs, min_size=2, max_size=6, unique=True).filter(
            lambda found: not {NOT_APPLICABLE, PRIOR_QUALIFICATION} & set(found)
        )
    )
    ordinary = [ScaleLevel(level_id, draw(text)) for level_id in ids]
    return (
        *ordinary,
        ScaleLevel(NOT_APPLICABLE, "Not applicable to my role"),
        ScaleLevel(PRIOR_QUALIFICATION, "Met through a prior qualification"),
    )
