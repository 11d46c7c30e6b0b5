"""1EdTech CASE 1.0 JSON: a CFPackage for a framework, and back.

Mapping
    CFDocument      the framework (uri = framework IRI; creator and publisher = publisher;
                    version; description; licenseURI -> a CFLicense; notes carry the framework
                    id, age phase and next review date as "Key: value" lines).
    CFItems         CFItemType "Domain" (fullStatement = title, notes = description,
                    conceptKeywords "principle:<id>" and "thrive:<id>"), "Competency Group"
                    (abbreviatedStatement = title, fullStatement = description), "Competency"
                    (fullStatement = statement), "Indicator" (one per indicator), "Enhancement"
                    (the SEND overlay), "Role" (fullStatement = label, conceptKeywords =
                    keywords), "Training" (fullStatement = title, alternativeLabel = provider,
                    conceptKeywords "reach:", "format:", "duration-minutes:", "cost:",
                    "thrive:", "url:", "last-checked:", "clinical-review:").
                    humanCodingScheme is always our id; listEnumeration the order.
    CFAssociations  isChildOf: domain -> document, competency -> domain, indicator ->
                    competency (sequenceNumber = order); isPartOf: competency -> group and
                    role -> group; isRelatedTo: competency -> SEND enhancement, competency ->
                    training, group -> example role (sequenceNumber = order).
    CFRubrics       the rating scale: one criterion whose levels are the scale levels
                    (quality = label, description = descriptor, score = 1..n, feedback
                    "Counts as met." from the threshold up) followed by "not applicable" and
                    "prior qualification" with no score. Level ids are the last segment of
                    each level's uri.

Identifiers are uuid5(NAMESPACE_URL, uri) and every uri is built from the framework IRI and our
ids, so re-exports are stable and competency uris are the competency IRIs. Item identifiers do
not depend on the version: a CASE server treats a re-import as an update of the same items.
Everything the YAML format carries survives export and import.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from frameworks.errors import FrameworkValidationError, ValidationIssue
from frameworks.model import Framework
from frameworks.records import framework_from_data
from frameworks.vocab import NOT_APPLICABLE, PRIOR_QUALIFICATION

MET_FEEDBACK = "Counts as met."
SEND_TITLE = (
    "SEND enhancement: competencies for working with children and young people with special "
    "educational needs and disabilities"
)
ITEM_TYPES = {
    "Domain": "A content area grouping competencies.",
    "Competency Group": "Core, enhanced or targeted; groups are cumulative.",
    "Competency": "A statement staff rate their confidence against.",
    "Indicator": "An observable example of a competency in practice.",
    "Enhancement": "The SEND enhancement overlay.",
    "Role": "A job role and the group it aligns to by default.",
    "Training": "A training item suggested for one or more competencies.",
}


def _uuid(uri: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, uri))


def _stamp(when: datetime | None) -> str:
    moment = when or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=0).isoformat()


class _Package:
    def __init__(self, fw: Framework, changed: str) -> None:
        self.fw = fw
        self.changed = changed
        self.doc_link = {"title": fw.title, "identifier": _uuid(fw.iri), "uri": fw.iri}
        self.items: list[dict[str, Any]] = []
        self.links: dict[str, dict[str, str]] = {}
        self.associations: list[dict[str, Any]] = []

    def type_link(self, name: str) -> dict[str, str]:
        uri = f"{self.fw.iri}/item-types/{name.lower().replace(' ', '-')}"
        return {"title": name, "identifier": _uuid(uri), "uri": uri}

    def item(
        self, uri: str, item_type: str, full: str, code: str, order: int | None, **extra: Any
    ) -> dict[str, str]:
        item: dict[str, Any] = {
            "identifier": _uuid(uri),
            "uri": uri,
            "fullStatement": full,
            "humanCodingScheme": code,
            "CFItemType": item_type,
            "CFItemTypeURI": self.type_link(item_type),
            "language": "en",
            "CFDocumentURI": self.doc_link,
            "lastChangeDateTime": self.changed,
        }
        if order is not None:
            item["listEnumeration"] = str(order)
        item.update({k: v for k, v in extra.items() if v is not None})
        self.items.append(item)
        link = {"title": full, "identifier": item["identifier"], "uri": uri}
        self.links[uri] = link
        return link

    def associate(
        self,
        kind: str,
        origin: dict[str, str],
        destination: dict[str, str],
        sequence: int | None = None,
    ) -> None:
        ident = _uuid(f"{origin['uri']} {kind} {destination['uri']}")
        association: dict[str, Any] = {
            "identifier": ident,
            "uri": f"{self.fw.iri}/associations/{ident}",
            "associationType": kind,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "CFDocumentURI": self.doc_link,
            "lastChangeDateTime": self.changed,
        }
        if sequence is not None:
            association["sequenceNumber"] = sequence
        self.associations.append(association)


def export_case(fw: Framework, last_change: datetime | None = None) -> dict[str, Any]:
    """The CFPackage as a dict. `last_change` defaults to now (UTC) for lastChangeDateTime."""
    changed = _stamp(last_change)
    p = _Package(fw, changed)
    iri = fw.iri
    groups = {
        g.id: p.item(
            f"{iri}/groups/{g.id}",
            "Competency Group",
            g.description,
            g.id,
            i + 1,
            abbreviatedStatement=g.title,
        )
        for i, g in enumerate(fw.groups)
    }
    roles = {}
    for i, r in enumerate(fw.roles):
        roles[r.id] = p.item(
            f"{iri}/roles/{r.id}",
            "Role",
            r.label,
            r.id,
            i + 1,
            conceptKeywords=list(r.keywords) or None,
        )
        p.associate("isPartOf", roles[r.id], groups[r.group])
    for g in fw.groups:
        for n, rid in enumerate(g.example_roles, 1):
            p.associate("isRelatedTo", groups[g.id], roles[rid], n)
    training = {}
    for i, t in enumerate(fw.training):
        keywords = [
            f"reach:{t.reach}",
            f"format:{t.format}",
            f"duration-minutes:{t.duration_minutes}",
            f"cost:{t.cost}",
            f"thrive:{t.thrive}",
            f"last-checked:{t.last_checked.isoformat()}",
        ]
        if t.url is not None:
            keywords.append(f"url:{t.url}")
        if t.clinical_review is not None:
            keywords.append(f"clinical-review:{t.clinical_review.isoformat()}")
        training[t.id] = p.item(
            f"{iri}/training/{t.id}",
            "Training",
            t.title,
            t.id,
            i + 1,
            alternativeLabel=t.provider,
            conceptKeywords=keywords,
            notes=f"{t.provider}: {t.format}, {t.duration_minutes} minutes, {t.cost}"
            + (f". {t.url}" if t.url else ""),
        )
    send = None
    if any(c.send for c in fw.competencies):
        send = p.item(f"{iri}/send-enhancement", "Enhancement", SEND_TITLE, "send", None)
    for i, d in enumerate(fw.domains, 1):
        domain = p.item(
            f"{iri}/domains/{d.id}",
            "Domain",
            d.title,
            d.id,
            i,
            notes=d.description,
            conceptKeywords=[f"principle:{x}" for x in d.principles]
            + [f"thrive:{x}" for x in d.thrive],
        )
        p.associate("isChildOf", domain, p.doc_link, i)
        for j, c in enumerate(d.competencies, 1):
            comp = p.item(f"{iri}/competencies/{c.id}", "Competency", c.statement, c.id, j)
            p.associate("isChildOf", comp, domain, j)
            p.associate("isPartOf", comp, groups[c.group])
            if c.send and send is not None:
                p.associate("isRelatedTo", comp, send)
            for n, tid in enumerate(c.training, 1):
                p.associate("isRelatedTo", comp, training[tid], n)
            for n, text in enumerate(c.indicators, 1):
                ind = p.item(
                    f"{iri}/competencies/{c.id}/indicators/{n}", "Indicator", text, f"{c.id}.{n}", n
                )
                p.associate("isChildOf", ind, comp, n)

    licence_uri = f"{iri}/licence"
    licence = {"title": fw.licence, "identifier": _uuid(licence_uri), "uri": licence_uri}
    document = {
        "identifier": p.doc_link["identifier"],
        "uri": iri,
        "creator": fw.publisher,
        "title": fw.title,
        "lastChangeDateTime": changed,
        "publisher": fw.publisher,
        "description": fw.description,
        "subject": ["Social, emotional and mental health"],
        "language": "en",
        "version": fw.version,
        "licenseURI": licence,
        "notes": (
            f"Framework id: {fw.id}\nAge phase: {fw.phase}\n"
            f"Next content review: {fw.review_date.isoformat()}"
        ),
    }
    return {
        "CFDocument": document,
        "CFItems": p.items,
        "CFAssociations": p.associations,
        "CFDefinitions": {
            "CFConcepts": [],
            "CFSubjects": [],
            "CFLicenses": [{**licence, "licenseText": fw.licence, "lastChangeDateTime": changed}],
            "CFItemTypes": [
                {
                    **p.type_link(name),
                    "description": description,
                    "hierarchyCode": name.lower().replace(" ", "-"),
                    "lastChangeDateTime": changed,
                }
                for name, description in ITEM_TYPES.items()
            ],
            "CFAssociationGroupings": [],
        },
        "CFRubrics": [_rubric(fw, changed)],
    }


def _rubric(fw: Framework, changed: str) -> dict[str, Any]:
    scale = fw.scale
    rubric_uri = f"{fw.iri}/scale"
    criterion_uri = f"{rubric_uri}/criterion"
    threshold = scale.rank(scale.proficient)
    levels: list[dict[str, Any]] = []
    entries: list[tuple[str, str, str, int | None]] = [
        (lv.id, lv.label, lv.descriptor, i + 1) for i, lv in enumerate(scale.levels)
    ]
    entries += [
        (NOT_APPLICABLE, scale.not_applicable.label, scale.not_applicable.descriptor, None),
        (
            PRIOR_QUALIFICATION,
            scale.prior_qualification.label,
            scale.prior_qualification.descriptor,
            None,
        ),
    ]
    for position, (lid, label, descriptor, score) in enumerate(entries, 1):
        uri = f"{rubric_uri}/levels/{lid}"
        level: dict[str, Any] = {
            "identifier": _uuid(uri),
            "uri": uri,
            "quality": label,
            "description": descriptor,
            "position": position,
            "rubricCriterionId": _uuid(criterion_uri),
            "lastChangeDateTime": changed,
        }
        if score is not None:
            level["score"] = score
            if score - 1 >= threshold:
                level["feedback"] = MET_FEEDBACK
        levels.append(level)
    return {
        "identifier": _uuid(rubric_uri),
        "uri": rubric_uri,
        "title": "Self-audit rating scale",
        "description": (
            "Rate how confident you feel with each competency. Levels from "
            f"'{scale.level(scale.proficient).label}' upward count as met."
        ),
        "lastChangeDateTime": changed,
        "CFRubricCriteria": [
            {
                "identifier": _uuid(criterion_uri),
                "uri": criterion_uri,
                "category": "Confidence",
                "description": "How confident I feel with this competency",
                "position": 1,
                "rubricId": _uuid(rubric_uri),
                "lastChangeDateTime": changed,
                "CFRubricCriterionLevels": levels,
            }
        ],
    }


def export_case_json(fw: Framework, last_change: datetime | None = None) -> str:
    """The CFPackage as indented JSON text."""
    return json.dumps(export_case(fw, last_change), indent=2, ensure_ascii=False) + "\n"


# Import ---------------------------------------------------------------------------------


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
