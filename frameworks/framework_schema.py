"""The FORMAT.md schema for framework data files, and the checks across fields."""

from __future__ import annotations

from typing import Any

from frameworks import vocab
from frameworks.schema import (
    Boolean,
    Choice,
    Date,
    F,
    Integer,
    ListOf,
    Pattern,
    Record,
    Reporter,
    Text,
    Url,
)
from frameworks.yamlsource import PathT, format_path

SLUG = Pattern(vocab.SLUG, "id (lowercase letters, digits and hyphens)")
COMPETENCY_ID = Pattern(
    vocab.COMPETENCY_ID, "competency id (lowercase letters, digits, dots and hyphens)"
)
VERSION = Pattern(
    vocab.VERSION, "version (MAJOR.MINOR.PATCH, e.g. 1.0.0; quote it if YAML reads it as a number)"
)
GROUP = Choice(vocab.GROUPS, "group")
PRINCIPLE = Choice(list(vocab.PRINCIPLES), "principle")
THRIVE = Choice(list(vocab.THRIVE), "THRIVE grouping")


def _national_needs_url(item: dict[str, Any], path: PathT, r: Reporter) -> None:
    if item.get("reach") == "national" and "url" not in item:
        r.add((*path, "url"), "a national training item needs a url")


def _label_without_commas(item: dict[str, Any], path: PathT, r: Reporter) -> None:
    label = item["label"]
    if "," in label or label != label.strip():
        r.add(
            (*path, "label"),
            "a level label may not contain commas or start or end with spaces "
            "(Moodle stores scales as comma-separated labels)",
        )


META = Record(
    {
        "id": F(SLUG),
        "iri": F(Url()),
        "title": F(Text()),
        "phase": F(Choice(vocab.PHASES, "phase")),
        "version": F(VERSION),
        "publisher": F(Text()),
        "licence": F(Text()),
        "review_date": F(Date()),
        "description": F(Text()),
    }
)
SPECIAL = Record({"label": F(Text()), "descriptor": F(Text())})
LEVEL = Record(
    {"id": F(SLUG), "label": F(Text()), "descriptor": F(Text())}, rules=[_label_without_commas]
)
SCALE = Record(
    {
        "levels": F(
            ListOf(LEVEL, min_items=2, empty_message="the scale needs at least two levels")
        ),
        "proficient": F(SLUG),
        "not_applicable": F(SPECIAL),
        "prior_qualification": F(SPECIAL),
    }
)
GROUP_RECORD = Record(
    {
        "id": F(GROUP),
        "title": F(Text()),
        "description": F(Text()),
        "example_roles": F(ListOf(SLUG, unique=True), required=False),
    }
)
ROLE = Record(
    {
        "id": F(SLUG),
        "label": F(Text()),
        "group": F(GROUP),
        "keywords": F(ListOf(Text()), required=False),
    }
)
COMPETENCY = Record(
    {
        "id": F(COMPETENCY_ID),
        "statement": F(Text()),
        "indicators": F(ListOf(Text(), min_items=1, empty_message="needs at least one indicator")),
        "group": F(GROUP),
        "send": F(Boolean(), required=False),
        "training": F(
            ListOf(
                SLUG,
                min_items=1,
                unique=True,
                empty_message="competency has no training; list at least one training id",
            )
        ),
    }
)
DOMAIN = Record(
    {
        "id": F(SLUG),
        "title": F(Text()),
        "description": F(Text()),
        "principles": F(ListOf(PRINCIPLE, min_items=1, unique=True)),
        "thrive": F(ListOf(THRIVE, min_items=1, unique=True)),
        "competencies": F(ListOf(COMPETENCY, min_items=1)),
    }
)
TRAINING = Record(
    {
        "id": F(SLUG),
        "title": F(Text()),
        "provider": F(Text()),
        "reach": F(Choice(vocab.REACH, "reach")),
        "format": F(Choice(vocab.FORMATS, "format")),
        "duration_minutes": F(Integer(vocab.MIN_DURATION, vocab.MAX_DURATION)),
        "cost": F(Choice(vocab.COSTS, "cost")),
        "thrive": F(THRIVE),
        "url": F(Url(), required=False),
        "last_checked": F(Date()),
        "clinical_review": F(Date(), required=False),
    },
    rules=[_national_needs_url],
)
FRAMEWORK_FILE = Record(
    {
        "framework": F(META),
        "scale": F(SCALE),
        "groups": F(ListOf(GROUP_RECORD)),
        "roles": F(ListOf(ROLE)),
        "domains": F(ListOf(DOMAIN, min_items=1)),
        "training": F(ListOf(TRAINING, min_items=1)),
    }
)


def validate_framework_data(data: Any, r: Reporter) -> None:
    """Report every schema and cross-reference problem in framework data to `r`."""
    FRAMEWORK_FILE.check(data, (), r)
    if isinstance(data, dict):
        check_references(data, r)


def _items(data: dict[str, Any], key: str) -> list[tuple[PathT, dict[str, Any]]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [((key, i), item) for i, item in enumerate(value) if isinstance(item, dict)]


def _competencies(data: dict[str, Any]) -> list[tuple[PathT, dict[str, Any]]]:
    out = []
    for dpath, domain in _items(data, "domains"):
        comps = domain.get("competencies")
        if isinstance(comps, list):
            out += [
                ((*dpath, "competencies", j), c) for j, c in enumerate(comps) if isinstance(c, dict)
            ]
    return out


def _unique_ids(entries: list[tuple[PathT, dict[str, Any]]], what: str, r: Reporter) -> set[str]:
    first: dict[str, PathT] = {}
    for path, item in entries:
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            where = r.line(first[ident])
            at = f"line {where}" if where is not None else format_path(first[ident])
            r.add((*path, "id"), f"duplicate {what} id {ident!r} (first used at {at})")
        else:
            first[ident] = path
    return set(first)


def check_references(data: dict[str, Any], r: Reporter) -> None:
    """Duplicate ids and references that point nowhere; tolerant of malformed parts."""
    scale = data.get("scale")
    if isinstance(scale, dict):
        levels = (
            [
                (("scale", "levels", i), lv)
                for i, lv in enumerate(scale.get("levels") or [])
                if isinstance(lv, dict)
            ]
            if isinstance(scale.get("levels"), list)
            else []
        )
        level_ids = _unique_ids(levels, "level", r)
        for path, level in levels:
            if level.get("id") in (vocab.NOT_APPLICABLE, vocab.PRIOR_QUALIFICATION):
                r.add(
                    (*path, "id"), f"{level['id']!r} is reserved for the rating beside the levels"
                )
        proficient = scale.get("proficient")
        if isinstance(proficient, str) and level_ids and proficient not in level_ids:
            r.add(
                ("scale", "proficient"),
                f"threshold {proficient!r} is not a level of the scale "
                f"(levels: {', '.join(str(lv.get('id', '?')) for _, lv in levels)})",
            )

    groups = _items(data, "groups")
    group_ids = [g.get("id") for _, g in groups]
    if isinstance(data.get("groups"), list) and group_ids != list(vocab.GROUPS):
        r.add(("groups",), "groups must be exactly core, enhanced, targeted, in that order")

    roles = _items(data, "roles")
    role_ids = _unique_ids(roles, "role", r)
    for gpath, group in groups:
        examples = group.get("example_roles")
        if isinstance(examples, list):
            for i, role in enumerate(examples):
                if isinstance(role, str) and role not in role_ids:
                    r.add((*gpath, "example_roles", i), f"unknown role id {role!r}")

    _unique_ids(_items(data, "domains"), "domain", r)
    training_ids = _unique_ids(_items(data, "training"), "training", r)
    competencies = _competencies(data)
    _unique_ids(competencies, "competency", r)
    have_training = isinstance(data.get("training"), list)
    for cpath, comp in competencies:
        refs = comp.get("training")
        if have_training and isinstance(refs, list):
            for i, ref in enumerate(refs):
                if isinstance(ref, str) and ref not in training_ids:
                    r.add((*cpath, "training", i), f"unknown training id {ref!r}")
