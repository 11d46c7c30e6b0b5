"""Writing a framework as a CASE 1.0 CFPackage (the mapping is in the frameworks.case_json
docstring)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from frameworks.case_json.terms import ITEM_TYPES, MET_FEEDBACK, SEND_TITLE
from frameworks.model import Framework
from frameworks.vocab import NOT_APPLICABLE, PRIOR_QUALIFICATION


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
