"""Reading a CASE 1.0 CFPackage back into a framework (the mapping is in the
frameworks.case_json docstring)."""

from __future__ import annotations

import json
from typing import Any

from frameworks.case_json.terms import MET_FEEDBACK
from frameworks.errors import FrameworkValidationError, ValidationIssue
from frameworks.model import Framework
from frameworks.records import framework_from_data
from frameworks.vocab import NOT_APPLICABLE, PRIOR_QUALIFICATION


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.issues: list[ValidationIssue] = []

    def fail(self, path: str, message: str) -> None:
        self.issues.append(ValidationIssue(self.name, None, path, message))

    def get(self, obj: Any, key: str, path: str, kind: type | tuple[type, ...] = str) -> Any:
        if not isinstance(obj, dict) or key not in obj:
            self.fail(f"{path}.{key}", f"missing required field {key!r}")
            return None
        value = obj[key]
        if not isinstance(value, kind):
            self.fail(f"{path}.{key}", f"wrong type: {type(value).__name__}")
            return None
        return value


def import_case_json(text: str, name: str = "<case-json>") -> Framework:
    """Read a CFPackage exported by `export_case_json` back into a Framework.

    Raises FrameworkValidationError naming the JSON path of anything missing or malformed.
    """
    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkValidationError(
            [ValidationIssue(name, exc.lineno, "", f"not valid JSON: {exc.msg}")]
        ) from None
    try:
        data, issues = case_to_data(package, name)
    except (TypeError, AttributeError, KeyError, ValueError) as exc:
        # Shapes no CASE producer should write; say so rather than crash.
        raise FrameworkValidationError(
            [ValidationIssue(name, None, "", f"unexpected CFPackage structure ({exc})")]
        ) from None
    if issues:
        raise FrameworkValidationError(issues)
    return framework_from_data(data, name)


def case_to_data(
    package: Any, name: str = "<case-json>"
) -> tuple[dict[str, Any], list[ValidationIssue]]:
    """The framework-layout data in a CFPackage, before validation."""
    rd = _Reader(name)
    if not isinstance(package, dict):
        rd.fail("", "expected a CFPackage object with CFDocument, CFItems and CFAssociations")
        return {}, rd.issues
    document = rd.get(package, "CFDocument", "", dict)
    items = rd.get(package, "CFItems", "", list) or []
    associations = rd.get(package, "CFAssociations", "", list) or []
    if document is None:
        return {}, rd.issues
    notes = {}
    raw_notes = document.get("notes")
    for line in (raw_notes if isinstance(raw_notes, str) else "").splitlines():
        key, _, value = line.partition(":")
        notes[key.strip()] = value.strip()
    licence = document.get("licenseURI")
    meta: dict[str, Any] = {
        "id": notes.get("Framework id"),
        "iri": rd.get(document, "uri", "CFDocument"),
        "title": rd.get(document, "title", "CFDocument"),
        "phase": notes.get("Age phase"),
        "version": document.get("version"),
        "publisher": document.get("publisher") or rd.get(document, "creator", "CFDocument"),
        "licence": licence.get("title") if isinstance(licence, dict) else None,
        "review_date": notes.get("Next content review"),
        "description": document.get("description"),
    }
    meta = {k: v for k, v in meta.items() if v is not None}

    by_id: dict[str, dict[str, Any]] = {}
    by_type: dict[str, list[dict[str, Any]]] = {}
    for i, item in enumerate(items):
        path = f"CFItems[{i}]"
        ident = rd.get(item, "identifier", path)
        rd.get(item, "fullStatement", path)
        if ident is None or not isinstance(item, dict):
            continue
        by_id[ident] = item
        by_type.setdefault(str(item.get("CFItemType", "")), []).append(item)

    links: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for i, a in enumerate(associations):
        path = f"CFAssociations[{i}]"
        kind = rd.get(a, "associationType", path)
        origin = rd.get(a, "originNodeURI", path, dict)
        dest = rd.get(a, "destinationNodeURI", path, dict)
        if kind is None or origin is None or dest is None:
            continue
        seq = a.get("sequenceNumber")
        links.setdefault((kind, str(origin.get("identifier"))), []).append(
            (seq if isinstance(seq, int) else 0, str(dest.get("identifier")))
        )

    if rd.issues:
        return {}, rd.issues

    def targets(kind: str, item: dict[str, Any], item_type: str) -> list[dict[str, Any]]:
        found = sorted(links.get((kind, item["identifier"]), []), key=lambda t: t[0])
        return [
            by_id[d] for _, d in found if d in by_id and by_id[d].get("CFItemType") == item_type
        ]

    def order(item: dict[str, Any]) -> int:
        value = item.get("listEnumeration", "0")
        return int(value) if str(value).isdigit() else 0

    def code(item: dict[str, Any]) -> str:
        return str(item.get("humanCodingScheme", ""))

    groups = []
    for g in sorted(by_type.get("Competency Group", []), key=order):
        groups.append(
            {
                "id": code(g),
                "title": g.get("abbreviatedStatement", ""),
                "description": g["fullStatement"],
                "example_roles": [code(r) for r in targets("isRelatedTo", g, "Role")],
            }
        )
    roles = []
    for r in sorted(by_type.get("Role", []), key=order):
        group = targets("isPartOf", r, "Competency Group")
        role: dict[str, Any] = {
            "id": code(r),
            "label": r["fullStatement"],
            "group": code(group[0]) if group else "",
        }
        if _list(r.get("conceptKeywords")):
            role["keywords"] = _list(r.get("conceptKeywords"))
        roles.append(role)
    training = []
    for t in sorted(by_type.get("Training", []), key=order):
        kw = dict(str(k).partition(":")[::2] for k in _list(t.get("conceptKeywords")))
        item: dict[str, Any] = {
            "id": code(t),
            "title": t["fullStatement"],
            "provider": t.get("alternativeLabel", ""),
            "reach": kw.get("reach", ""),
            "format": kw.get("format", ""),
            "duration_minutes": int(kw["duration-minutes"])
            if kw.get("duration-minutes", "").isdigit()
            else kw.get("duration-minutes"),
            "cost": kw.get("cost", ""),
            "thrive": kw.get("thrive", ""),
        }
        if "url" in kw:
            item["url"] = kw["url"]
        item["last_checked"] = kw.get("last-checked", "")
        if "clinical-review" in kw:
            item["clinical_review"] = kw["clinical-review"]
        training.append(item)

    children: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for (kind, origin), dests in links.items():
        if kind == "isChildOf" and origin in by_id:
            for seq, dest in dests:
                children.setdefault(dest, []).append((seq, by_id[origin]))

    def kids(identifier: str, item_type: str) -> list[dict[str, Any]]:
        found = sorted(children.get(identifier, []), key=lambda t: t[0])
        return [item for _, item in found if item.get("CFItemType") == item_type]

    domains = []
    for d in kids(str(document.get("identifier", "")), "Domain"):
        kw = [str(k) for k in _list(d.get("conceptKeywords"))]
        comps = []
        for c in kids(d["identifier"], "Competency"):
            group = targets("isPartOf", c, "Competency Group")
            comps.append(
                {
                    "id": code(c),
                    "statement": c["fullStatement"],
                    "indicators": [i["fullStatement"] for i in kids(c["identifier"], "Indicator")],
                    "group": code(group[0]) if group else "",
                    "send": bool(targets("isRelatedTo", c, "Enhancement")),
                    "training": [code(t) for t in targets("isRelatedTo", c, "Training")],
                }
            )
        domains.append(
            {
                "id": code(d),
                "title": d["fullStatement"],
                "description": d.get("notes", ""),
                "principles": [k.split(":", 1)[1] for k in kw if k.startswith("principle:")],
                "thrive": [k.split(":", 1)[1] for k in kw if k.startswith("thrive:")],
                "competencies": comps,
            }
        )

    data = {
        "framework": meta,
        "scale": _scale_data(package.get("CFRubrics"), rd),
        "groups": groups,
        "roles": roles,
        "domains": domains,
        "training": training,
    }
    return data, rd.issues


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _scale_data(rubrics: Any, rd: _Reader) -> dict[str, Any]:
    if not isinstance(rubrics, list) or not rubrics:
        rd.fail("CFRubrics", "missing the rating scale (a CFRubric)")
        return {}
    criteria = rubrics[0].get("CFRubricCriteria") if isinstance(rubrics[0], dict) else None
    if not isinstance(criteria, list) or not criteria or not isinstance(criteria[0], dict):
        rd.fail("CFRubrics[0].CFRubricCriteria", "missing the scale's criterion")
        return {}
    raw = _list(criteria[0].get("CFRubricCriterionLevels"))
    ordered = sorted(
        (lv for lv in raw if isinstance(lv, dict)),
        key=lambda lv: lv["position"] if isinstance(lv.get("position"), int) else 0,
    )
    scale: dict[str, Any] = {"levels": []}
    for lv in ordered:
        lid = str(lv.get("uri", "")).rsplit("/", 1)[-1]
        entry = {"label": lv.get("quality", ""), "descriptor": lv.get("description", "")}
        if lid == NOT_APPLICABLE:
            scale["not_applicable"] = entry
        elif lid == PRIOR_QUALIFICATION:
            scale["prior_qualification"] = entry
        else:
            scale["levels"].append({"id": lid, **entry})
            if lv.get("feedback") == MET_FEEDBACK and "proficient" not in scale:
                scale["proficient"] = lid
    return scale
