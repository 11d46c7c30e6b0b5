"""Hypothesis strategies for valid Framework objects."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from frameworks import (
    GROUPS,
    NOT_APPLICABLE,
    PHASES,
    PRINCIPLES,
    PRIOR_QUALIFICATION,
    THRIVE,
    Competency,
    Domain,
    Framework,
    Group,
    Level,
    Role,
    Scale,
    SpecialRating,
    TrainingItem,
)
from frameworks.vocab import COSTS, FORMATS, REACH

# Printable text in any script; no control characters, surrogates or Unicode line separators.
_chars = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"))
texts = st.text(_chars, min_size=1, max_size=30).filter(lambda s: s.strip() != "")
multiline = st.text(st.one_of(_chars, st.just("\n")), min_size=1, max_size=60).filter(
    lambda s: s.strip() != ""
)
labels = texts.map(lambda s: s.replace(",", " ").strip()).filter(bool)
slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)
competency_ids = st.from_regex(r"[a-z0-9][a-z0-9.-]{0,11}", fullmatch=True)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
urls = st.from_regex(
    r"https://[a-z]{1,8}\.org/[a-z0-9-]{0,8}(\?a=[0-9]{1,3}&b=[a-z]{1,3})?", fullmatch=True
)
versions = st.tuples(*(st.integers(0, 40),) * 3).map(lambda t: ".".join(map(str, t)))


def _unique(elements: st.SearchStrategy[str], lo: int, hi: int) -> st.SearchStrategy[list[str]]:
    return st.lists(elements, min_size=lo, max_size=hi, unique=True)


@st.composite
def training_items(draw: st.DrawFn, ident: str) -> TrainingItem:
    reach = draw(st.sampled_from(REACH))
    url = draw(urls) if reach == "national" else draw(st.none() | urls)
    return TrainingItem(
        id=ident,
        title=draw(texts),
        provider=draw(texts),
        reach=reach,
        format=draw(st.sampled_from(FORMATS)),
        duration_minutes=draw(st.integers(15, 960)),
        cost=draw(st.sampled_from(COSTS)),
        thrive=draw(st.sampled_from(list(THRIVE))),
        last_checked=draw(dates),
        url=url,
        clinical_review=draw(st.none() | dates),
    )


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    """Valid frameworks: everything the loader accepts, kept small."""
    level_ids = draw(
        _unique(slugs.filter(lambda s: s not in (NOT_APPLICABLE, PRIOR_QUALIFICATION)), 2, 5)
    )
    scale = Scale(
        levels=tuple(Level(i, draw(labels), draw(multiline)) for i in level_ids),
        proficient=draw(st.sampled_from(level_ids)),
        not_applicable=SpecialRating(draw(texts), draw(multiline)),
        prior_qualification=SpecialRating(draw(texts), draw(multiline)),
    )
    training_ids = draw(_unique(slugs, 1, 4))
    training = tuple(draw(training_items(t)) for t in training_ids)
    role_ids = draw(_unique(slugs, 0, 4))
    roles = tuple(
        Role(
            r, draw(texts), draw(st.sampled_from(GROUPS)), tuple(draw(st.lists(texts, max_size=3)))
        )
        for r in role_ids
    )
    groups = tuple(
        Group(
            g,
            draw(texts),
            draw(multiline),
            tuple(draw(st.lists(st.sampled_from(role_ids), unique=True))) if role_ids else (),
        )
        for g in GROUPS
    )
    comp_ids = draw(_unique(competency_ids, 1, 7))
    n_domains = draw(st.integers(1, min(3, len(comp_ids))))
    cuts = (
        sorted(
            draw(
                st.lists(
                    st.integers(1, len(comp_ids) - 1),
                    min_size=n_domains - 1,
                    max_size=n_domains - 1,
                    unique=True,
                )
            )
        )
        if n_domains > 1
        else []
    )
    bounds = [0, *cuts, len(comp_ids)]
    domain_ids = draw(_unique(slugs, n_domains, n_domains))
    domains = tuple(
        Domain(
            id=domain_ids[k],
            title=draw(texts),
            description=draw(multiline),
            principles=tuple(draw(_unique(st.sampled_from(list(PRINCIPLES)), 1, 3))),
            thrive=tuple(draw(_unique(st.sampled_from(list(THRIVE)), 1, 2))),
            competencies=tuple(
                Competency(
                    id=cid,
                    statement=draw(texts),
                    indicators=tuple(draw(st.lists(texts, min_size=1, max_size=3))),
                    group=draw(st.sampled_from(GROUPS)),
                    training=tuple(draw(_unique(st.sampled_from(training_ids), 1, 3))),
                    send=draw(st.booleans()),
                )
                for cid in comp_ids[bounds[k] : bounds[k + 1]]
            ),
        )
        for k in range(n_domains)
    )
    return Framework(
        id=draw(slugs),
        iri=draw(urls),
        title=draw(texts),
        phase=draw(st.sampled_from(PHASES)),
        version=draw(versions),
        publisher=draw(texts),
        licence=draw(texts),
        review_date=draw(dates),
        description=draw(multiline),
        scale=scale,
        groups=groups,
        roles=roles,
        domains=domains,
        training=training,
    )
