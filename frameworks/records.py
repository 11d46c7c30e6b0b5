"""Convert between validated plain data (the FORMAT.md layout) and Framework objects."""

from __future__ import annotations

from typing import Any

from frameworks.errors import FrameworkValidationError
from frameworks.framework_schema import validate_framework_data
from frameworks.model import (
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
from frameworks.schema import Reporter, as_date
from frameworks.yamlsource import Located


def framework_from_data(data: Any, name: str, located: Located | None = None) -> Framework:
    """Validate plain data and build the Framework; FrameworkValidationError lists every issue."""
    r = Reporter(name, located)
    validate_framework_data(data, r)
    if r.issues:
        raise FrameworkValidationError(r.issues)
    return build_framework(data)


def _date(value: Any) -> Any:
    parsed = as_date(value)
    if parsed is None:
        raise ValueError(f"not a date: {value!r}; validate before building")
    return parsed


def build_framework(data: dict[str, Any]) -> Framework:
    """Build from data that has already passed validation."""
    meta = data["framework"]
    scale = data["scale"]
    return Framework(
        id=meta["id"],
        iri=meta["iri"],
        title=meta["title"],
        phase=meta["phase"],
        version=meta["version"],
        publisher=meta["publisher"],
        licence=meta["licence"],
        review_date=_date(meta["review_date"]),
        description=meta["description"],
        scale=Scale(
            levels=tuple(Level(lv["id"], lv["label"], lv["descriptor"]) for lv in scale["levels"]),
            proficient=scale["proficient"],
            not_applicable=SpecialRating(**scale["not_applicable"]),
            prior_qualification=SpecialRating(**scale["prior_qualification"]),
        ),
        groups=tuple(
            Group(g["id"], g["title"], g["description"], tuple(g.get("example_roles", ())))
            for g in data["groups"]
        ),
        roles=tuple(build_role(r) for r in data["roles"]),
        domains=tuple(build_domain(d) for d in data["domains"]),
        training=tuple(build_training(t) for t in data["training"]),
    )


def build_role(r: dict[str, Any]) -> Role:
    return Role(r["id"], r["label"], r["group"], tuple(r.get("keywords", ())))


def build_competency(c: dict[str, Any]) -> Competency:
    return Competency(
        id=c["id"],
        statement=c["statement"],
        indicators=tuple(c["indicators"]),
        group=c["group"],
        training=tuple(c["training"]),
        send=c.get("send", False),
    )


def build_domain(d: dict[str, Any]) -> Domain:
    return Domain(
        id=d["id"],
        title=d["title"],
        description=d["description"],
        principles=tuple(d["principles"]),
        thrive=tuple(d["thrive"]),
        competencies=tuple(build_competency(c) for c in d["competencies"]),
    )


def build_training(t: dict[str, Any]) -> TrainingItem:
    return TrainingItem(
        id=t["id"],
        title=t["title"],
        provider=t["provider"],
        reach=t["reach"],
        format=t["format"],
        duration_minutes=t["duration_minutes"],
        cost=t["cost"],
        thrive=t["thrive"],
        last_checked=_date(t["last_checked"]),
        url=t.get("url"),
        clinical_review=_date(t["clinical_review"]) if "clinical_review" in t else None,
    )


def framework_to_data(fw: Framework) -> dict[str, Any]:
    """The FORMAT.md layout as plain data: dicts, lists, strings, ints, bools and dates."""
    return {
        "framework": {
            "id": fw.id,
            "iri": fw.iri,
            "title": fw.title,
            "phase": fw.phase,
            "version": fw.version,
            "publisher": fw.publisher,
            "licence": fw.licence,
            "review_date": fw.review_date,
            "description": fw.description,
        },
        "scale": {
            "levels": [
                {"id": lv.id, "label": lv.label, "descriptor": lv.descriptor}
                for lv in fw.scale.levels
            ],
            "proficient": fw.scale.proficient,
            "not_applicable": _special(fw.scale.not_applicable),
            "prior_qualification": _special(fw.scale.prior_qualification),
        },
        "groups": [
            {
                "id": g.id,
                "title": g.title,
                "description": g.description,
                "example_roles": list(g.example_roles),
            }
            for g in fw.groups
        ],
        "roles": [_role(r) for r in fw.roles],
        "domains": [
            {
                "id": d.id,
                "title": d.title,
                "description": d.description,
                "principles": list(d.principles),
                "thrive": list(d.thrive),
                "competencies": [competency_to_data(c) for c in d.competencies],
            }
            for d in fw.domains
        ],
        "training": [training_to_data(t) for t in fw.training],
    }


def _special(s: SpecialRating) -> dict[str, str]:
    return {"label": s.label, "descriptor": s.descriptor}


def _role(r: Role) -> dict[str, Any]:
    out: dict[str, Any] = {"id": r.id, "label": r.label, "group": r.group}
    if r.keywords:
        out["keywords"] = list(r.keywords)
    return out


def competency_to_data(c: Competency) -> dict[str, Any]:
    return {
        "id": c.id,
        "statement": c.statement,
        "indicators": list(c.indicators),
        "group": c.group,
        "send": c.send,
        "training": list(c.training),
    }


def training_to_data(t: TrainingItem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": t.id,
        "title": t.title,
        "provider": t.provider,
        "reach": t.reach,
        "format": t.format,
        "duration_minutes": t.duration_minutes,
        "cost": t.cost,
        "thrive": t.thrive,
    }
    if t.url is not None:
        out["url"] = t.url
    out["last_checked"] = t.last_checked
    if t.clinical_review is not None:
        out["clinical_review"] = t.clinical_review
    return out
