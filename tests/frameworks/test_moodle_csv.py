"""Moodle tool_lpimportcsv CSV: the column rules, and reading it back."""

from __future__ import annotations

import csv
import io
import json

import pytest

from frameworks import Framework, FrameworkValidationError, export_moodle_csv, import_moodle_csv
from frameworks.moodle_csv import (
    HEADERS,
    join_cross_references,
    moodle_csv_to_data,
    split_cross_references,
)

EXPECTED_HEADERS = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def check_moodle_rules(text: str) -> list[list[str]]:
    """The column rules from domain.md 2.1; returns the data rows."""
    rows = rows_of(text)
    assert rows[0] == EXPECTED_HEADERS
    body = rows[1:]
    assert all(len(r) == 14 for r in body)
    framework_rows = [r for r in body if r[12] == "1"]
    assert len(framework_rows) == 1
    fw_row = framework_rows[0]
    assert fw_row[0] == ""
    assert body[0] is fw_row
    seen: set[str] = set()
    for r in body[1:]:
        assert r[12] in ("", "0")
        assert r[0] == "" or r[0] in seen, f"parent {r[0]} of {r[1]} comes later or not at all"
        assert r[1] not in seen, f"duplicate ID number {r[1]}"
        seen.add(r[1])
        assert r[5] == "" and r[6] == "", "competencies inherit the framework scale"
        for ref in split_cross_references(r[10]):
            assert ref in seen or any(x[1] == ref for x in body)
    for r in body:
        assert r[1] and r[2]
        assert len(r[1]) <= 100 and len(r[2]) <= 100
        assert r[4] in ("0", "1", "2", "4")
    config = json.loads(fw_row[6])
    assert set(config[0]) == {"scaleid"}
    items = config[1:]
    n_values = len(fw_row[5].split(","))
    assert all(1 <= item["id"] <= n_values for item in items)
    assert any(item["scaledefault"] == 1 for item in items)
    assert any(item["proficient"] == 1 for item in items)
    assert fw_row[13] == "domain,competency"
    return body


def test_export_follows_moodle_column_rules(small: Framework) -> None:
    body = check_moodle_rules(export_moodle_csv(small))
    assert body[0][1] == "SEMH-SMALL-v1.0.0"
    assert body[0][5] == "Not yet,Some awareness,Confident"
    assert [r[1] for r in body[1:]] == [
        "domain:noticing",
        "sm-not-01",
        "sm-not-02",
        "domain:leading",
        "sm-lead-01",
    ]
    assert [r[0] for r in body[1:]] == [
        "",
        "domain:noticing",
        "domain:noticing",
        "",
        "domain:leading",
    ]


def test_scale_configuration_marks_threshold_default_and_proficient_upward(small) -> None:
    config = json.loads(rows_of(export_moodle_csv(small))[1][6])
    assert config == [
        {"scaleid": "1"},
        {"id": 1, "scaledefault": 0, "proficient": 0},
        {"id": 2, "scaledefault": 0, "proficient": 0},
        {"id": 3, "scaledefault": 1, "proficient": 1},
    ]


def test_rule_columns_match_what_moodle_exports(small: Framework) -> None:
    comp = rows_of(export_moodle_csv(small))[2]
    assert comp[7:10] == ["", "0", "null"]


def test_shipped_exports_follow_moodle_rules(shipped) -> None:
    for fw in shipped.values():
        check_moodle_rules(export_moodle_csv(fw))


def test_long_statement_is_cut_for_moodle_but_kept_in_full(small: Framework) -> None:
    from tests.frameworks.factories import competency_data, edit

    long = "I can " + "notice and respond to distress " * 8 + "calmly."
    fw = edit(small, lambda d: competency_data(d, "sm-not-01").update(statement=long))
    text = export_moodle_csv(fw)
    shortname = rows_of(text)[3][2]
    assert len(shortname) <= 100 and shortname.endswith("…")
    assert import_moodle_csv(text).competency("sm-not-01").statement == long


def test_cross_reference_commas_are_escaped() -> None:
    assert join_cross_references(["a,b", "c"]) == "a%2Cb,c"
    assert split_cross_references("a%2Cb,c") == ["a,b", "c"]
    assert split_cross_references("") == []


def test_import_gives_back_the_framework(small: Framework) -> None:
    assert import_moodle_csv(export_moodle_csv(small)) == small


def test_import_reads_headers_by_position_and_old_spellings(small: Framework) -> None:
    rows = rows_of(export_moodle_csv(small))
    rows[0] = ["Parent id number", "Id number", "Shortname", *rows[0][3:]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    assert import_moodle_csv(out.getvalue()) == small


def test_foreign_moodle_framework_gets_defaults_and_names_what_is_missing() -> None:
    text = (
        ",".join(HEADERS) + "\n"
        ',OECD-CORE,OECD,"<p>Core competencies</p>",1,"Not yet competent,Competent",'
        '"[{""scaleid"":""2""},{""id"":2,""scaledefault"":1,""proficient"":1}]",,,,,,1,'
        '"competency,competency"\n'
        ",delivery,Delivery-related,<p>Results</p>,1,,,,0,null,,8,,\n"
        "delivery,analytical-thinking,Analytical Thinking,<p>x</p>,1,,,,0,null,,11,,\n"
        "analytical-thinking,DR-AT1,Distinguishes critical information,<p>y</p>,1,,,,0,null,,26,,\n"
    )
    data, _, issues = moodle_csv_to_data(text, "oecd.csv")
    assert issues == []
    assert data["framework"]["id"] == "oecd-core"
    assert data["scale"]["levels"][1] == {
        "id": "competent",
        "label": "Competent",
        "descriptor": "Competent",
    }
    assert data["scale"]["proficient"] == "competent"
    comp = data["domains"][0]["competencies"][0]
    assert comp["indicators"] == ["Distinguishes critical information"]
    assert comp["group"] == "core"
    with pytest.raises(FrameworkValidationError) as caught:
        import_moodle_csv(text, "oecd.csv")
    paths = {e.path for e in caught.value.errors}
    assert {"framework.iri", "framework.phase", "training"} <= paths
    by_path = {e.path: e for e in caught.value.errors}
    assert by_path["domains[0].principles"].line == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n", "expected 14 columns"),
        (",".join(HEADERS) + "\n" + ",x,y,,1,,,,0,null,,,,\n", "exactly one framework row"),
        ("", "exactly one framework row"),
    ],
)
def test_bad_csv_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(FrameworkValidationError, match=message):
        import_moodle_csv(text, "x.csv")
