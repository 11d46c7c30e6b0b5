"""1EdTech CASE 1.0 CFPackage: required fields, UUIDs, associations, and reading it back."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from frameworks import (
    Framework,
    FrameworkValidationError,
    export_case,
    export_case_json,
    import_case_json,
)

WHEN = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except (ValueError, TypeError, AttributeError):
        return False


def is_link(value: object) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"title", "identifier", "uri"}
        and is_uuid(value["identifier"])
        and isinstance(value["title"], str)
        and isinstance(value["uri"], str)
    )


def check_case_rules(package: dict) -> None:
    doc = package["CFDocument"]
    for field in ("identifier", "uri", "creator", "title", "lastChangeDateTime"):
        assert doc.get(field), f"CFDocument.{field} missing"
    assert is_uuid(doc["identifier"])
    assert is_link(doc["licenseURI"])
    nodes = {doc["identifier"]: doc["uri"]}
    for item in package["CFItems"]:
        for field in ("identifier", "uri", "fullStatement", "lastChangeDateTime", "CFDocumentURI"):
            assert item.get(field), f"CFItem.{field} missing in {item.get('humanCodingScheme')}"
        assert is_uuid(item["identifier"])
        assert is_link(item["CFDocumentURI"])
        assert item["CFDocumentURI"]["identifier"] == doc["identifier"]
        assert is_link(item["CFItemTypeURI"])
        assert item["identifier"] not in nodes
        nodes[item["identifier"]] = item["uri"]
    idents = set()
    for a in package["CFAssociations"]:
        assert is_uuid(a["identifier"]) and a["identifier"] not in idents
        idents.add(a["identifier"])
        assert a["associationType"] in {"isChildOf", "isPartOf", "isRelatedTo"}
        assert a["lastChangeDateTime"]
        for end in ("originNodeURI", "destinationNodeURI"):
            assert is_link(a[end])
            assert nodes.get(a[end]["identifier"]) == a[end]["uri"], f"dangling {end}"
    type_ids = {t["identifier"] for t in package["CFDefinitions"]["CFItemTypes"]}
    assert {i["CFItemTypeURI"]["identifier"] for i in package["CFItems"]} <= type_ids


def test_export_meets_case_field_requirements(small: Framework) -> None:
    package = export_case(small, WHEN)
    check_case_rules(package)
    assert package["CFDocument"]["lastChangeDateTime"] == "2026-11-01T09:30:00+00:00"
    types = [i["CFItemType"] for i in package["CFItems"]]
    assert types.count("Domain") == 2 and types.count("Competency") == 3
    assert types.count("Competency Group") == 3 and types.count("Enhancement") == 1


def test_competency_uri_is_its_iri_and_hierarchy_is_child_of(small: Framework) -> None:
    package = export_case(small, WHEN)
    comp = next(i for i in package["CFItems"] if i.get("humanCodingScheme") == "sm-not-02")
    assert comp["uri"] == small.competency_iri("sm-not-02")
    out = {
        (a["associationType"], a["destinationNodeURI"]["uri"])
        for a in package["CFAssociations"]
        if a["originNodeURI"]["uri"] == comp["uri"]
    }
    iri = small.iri
    assert out == {
        ("isChildOf", f"{iri}/domains/noticing"),
        ("isPartOf", f"{iri}/groups/enhanced"),
        ("isRelatedTo", f"{iri}/send-enhancement"),
        ("isRelatedTo", f"{iri}/training/intro"),
        ("isRelatedTo", f"{iri}/training/send-course"),
    }


def test_identifiers_are_deterministic(small: Framework) -> None:
    a = export_case_json(small, WHEN)
    b = export_case_json(small, datetime(2030, 1, 1, tzinfo=UTC))
    ids_a = [i["identifier"] for i in json.loads(a)["CFItems"]]
    ids_b = [i["identifier"] for i in json.loads(b)["CFItems"]]
    assert ids_a == ids_b
    assert export_case_json(small, WHEN) == a
    doc_id = json.loads(a)["CFDocument"]["identifier"]
    assert doc_id == str(uuid.uuid5(uuid.NAMESPACE_URL, small.iri))


def test_shipped_exports_meet_case_rules(shipped) -> None:
    for fw in shipped.values():
        check_case_rules(export_case(fw, WHEN))


def test_import_gives_back_the_framework(small: Framework) -> None:
    assert import_case_json(export_case_json(small, WHEN)) == small


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a CFPackage"),
        ('{"CFItems": [], "CFAssociations": []}', "missing required field 'CFDocument'"),
    ],
)
def test_bad_case_json_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(FrameworkValidationError, match=message):
        import_case_json(text, "x.json")


def test_item_missing_required_field_is_named(small: Framework) -> None:
    package = export_case(small, WHEN)
    del package["CFItems"][0]["fullStatement"]
    with pytest.raises(FrameworkValidationError, match=r"CFItems\[0\]\.fullStatement"):
        import_case_json(json.dumps(package), "x.json")
