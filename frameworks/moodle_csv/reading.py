"""Reading a tool_lpimportcsv CSV back into a framework, with defaults for anything the CSV
does not carry (listed in the frameworks.moodle_csv docstring)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from frameworks import defaults, vocab
from frameworks.errors import FrameworkValidationError, ValidationIssue
from frameworks.htmlfragment import Element, parse
from frameworks.model import Framework
from frameworks.moodle_csv.layout import _FRAMEWORK_IDNUMBER, DOMAIN_PREFIX, HEADERS
from frameworks.records import framework_from_data
from frameworks.yamlsource import Located


def import_moodle_csv(text_: str, name: str = "<moodle-csv>") -> Framework:
    """Read a tool_lpimportcsv CSV back into a Framework (defaults: see the package docstring).

    Raises FrameworkValidationError with CSV line numbers for anything missing or malformed.
    """
    data, located, issues = moodle_csv_to_data(text_, name)
    if issues:
        raise FrameworkValidationError(issues)
    return framework_from_data(data, name, located)


def moodle_csv_to_data(
    text_: str, name: str = "<moodle-csv>"
) -> tuple[dict[str, Any], Located, list[ValidationIssue]]:
    """The framework-layout data in a Moodle CSV, before validation (used by --draft)."""
    reader = csv.reader(io.StringIO(text_.lstrip("\ufeff"), newline=""))
    rows: list[tuple[int, list[str]]] = []
    issues: list[ValidationIssue] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        issues.append(ValidationIssue(name, start, "", f"not valid CSV: {exc}"))
        return {}, Located(name, None), issues
    if rows and rows[0][1] and rows[0][1][0].strip().lower().startswith("parent"):
        rows = rows[1:]
    records = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADERS):
            issues.append(
                ValidationIssue(
                    name, line, "", f"expected {len(HEADERS)} columns, found {len(row)}"
                )
            )
            continue
        records.append((line, dict(zip(HEADERS, row, strict=True))))
    frameworks = [(line, r) for line, r in records if r["Is framework"].strip() not in ("", "0")]
    if len(frameworks) != 1:
        issues.append(
            ValidationIssue(
                name,
                None,
                "",
                f"expected exactly one framework row (Is framework = 1), found {len(frameworks)}",
            )
        )
        return {}, Located(name, None), issues
    if issues:
        return {}, Located(name, None), issues
    fw_line, fw_row = frameworks[0]
    located = Located(name, None)
    data = _framework_data(fw_row, issues, name, fw_line)
    located.value_lines[("framework",)] = fw_line
    located.value_lines[("scale",)] = fw_line
    located.value_lines[()] = fw_line

    # Moodle skips a row with no ID number or short name, and everything under it.
    usable = [
        (line, r)
        for line, r in records
        if r["Is framework"].strip() in ("", "0") and r["ID number"] and r["Short name"]
    ]
    children: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, r in usable:
        children.setdefault(r["Parent ID number"], []).append((line, r))
    data["domains"] = []
    for i, (line, r) in enumerate(children.get("", [])):
        located.value_lines[("domains", i)] = line
        domain = _domain_data(r)
        for j, (cline, cr) in enumerate(children.get(r["ID number"], [])):
            located.value_lines[("domains", i, "competencies", j)] = cline
            below = [gr["Short name"] for _, gr in children.get(cr["ID number"], [])]
            domain["competencies"].append(_competency_data(cr, below))
        data["domains"].append(domain)
    located.data = data
    return data, located, issues


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "item"


def _framework_data(
    r: dict[str, str], issues: list[ValidationIssue], name: str, line: int
) -> dict[str, Any]:
    root = parse(r["Description"])
    box = root.find("framework") or Element("#none", {})
    marked = box.name != "#none"
    idnumber = r["ID number"]
    m = _FRAMEWORK_IDNUMBER.fullmatch(idnumber)
    meta: dict[str, Any] = {
        "id": box.attrs.get("data-id") or (m.group(1).lower() if m else _slug(idnumber)),
        "title": box.get("framework-title") or r["Short name"],
    }
    for key, semh in (
        ("iri", "iri"),
        ("phase", "phase"),
        ("version", "version"),
        ("publisher", "publisher"),
        ("licence", "licence"),
        ("review_date", "review-date"),
        ("description", "framework-description"),
    ):
        value = box.get(semh)
        if value is not None:
            meta[key] = value
    if "version" not in meta:
        meta["version"] = m.group(2) if m else "1.0.0"
    if not marked and root.text.strip():
        meta["description"] = root.text.strip()

    labels = r["Scale values"].split(",") if r["Scale values"] else []
    marked_levels = box.find_all("level")
    if marked_levels and len(marked_levels) != len(labels):
        issues.append(
            ValidationIssue(
                name,
                line,
                "Scale values",
                f"{len(labels)} scale values but {len(marked_levels)} levels in the description",
            )
        )
    levels = []
    for i, label in enumerate(labels):
        if i < len(marked_levels):
            lv = marked_levels[i]
            levels.append(
                {
                    "id": lv.attrs.get("data-id", ""),
                    "label": label,
                    "descriptor": lv.get("descriptor") or label,
                }
            )
        else:
            levels.append({"id": _slug(label), "label": label, "descriptor": label})
    scale: dict[str, Any] = {"levels": levels}
    proficient = _proficient_index(r["Scale configuration"])
    if proficient is None:
        issues.append(
            ValidationIssue(
                name,
                line,
                "Scale configuration",
                "no proficient scale value; expected JSON like "
                '[{"scaleid":"1"},{"id":3,"scaledefault":1,"proficient":1}]',
            )
        )
    elif 0 <= proficient < len(levels):
        scale["proficient"] = levels[proficient]["id"]
    for key, semh, fallback in (
        ("not_applicable", "not-applicable", defaults.NOT_APPLICABLE),
        ("prior_qualification", "prior-qualification", defaults.PRIOR_QUALIFICATION),
    ):
        el = box.find(semh)
        scale[key] = (
            {"label": el.get("label") or "", "descriptor": el.get("descriptor") or ""}
            if el is not None
            else {"label": fallback[0], "descriptor": fallback[1]}
        )

    groups = []
    marked_groups = {g.attrs.get("data-id"): g for g in box.find_all("group")}
    for gid in vocab.GROUPS:
        g = marked_groups.get(gid)
        if g is not None:
            ex = g.find("example-roles")
            groups.append(
                {
                    "id": gid,
                    "title": g.get("title") or "",
                    "description": g.get("description") or "",
                    "example_roles": (ex.attrs.get("data-ids", "").split() if ex else []),
                }
            )
        else:
            title, description = defaults.GROUP_TEXT[gid]
            groups.append(
                {"id": gid, "title": title, "description": description, "example_roles": []}
            )

    roles = []
    for el in box.find_all("role"):
        role: dict[str, Any] = {
            "id": el.attrs.get("data-id", ""),
            "label": el.get("label") or "",
            "group": el.attrs.get("data-group", ""),
        }
        keywords = [k.text for k in el.find_all("keyword")]
        if keywords:
            role["keywords"] = keywords
        roles.append(role)

    data: dict[str, Any] = {"framework": meta, "scale": scale, "groups": groups, "roles": roles}
    if marked:
        data["training"] = [_training_data(el) for el in box.find_all("training")]
    return data


def _proficient_index(config: str) -> int | None:
    try:
        items = json.loads(config)
    except (ValueError, TypeError):
        return None
    if not isinstance(items, list):
        return None
    ids = [
        item.get("id")
        for item in items[1:]
        if isinstance(item, dict) and str(item.get("proficient")) == "1"
    ]
    numbers = [int(i) for i in ids if isinstance(i, int | str) and str(i).isdigit()]
    return min(numbers) - 1 if numbers else None


def _training_data(el: Element) -> dict[str, Any]:
    a = el.attrs
    out: dict[str, Any] = {
        "id": a.get("data-id", ""),
        "title": el.get("title") or "",
        "provider": el.get("provider") or "",
        "reach": a.get("data-reach", ""),
        "format": a.get("data-format", ""),
        "duration_minutes": int(a["data-duration"])
        if a.get("data-duration", "").isdigit()
        else a.get("data-duration"),
        "cost": a.get("data-cost", ""),
        "thrive": a.get("data-thrive", ""),
    }
    link = el.find("url")
    if link is not None:
        out["url"] = link.attrs.get("href", "")
    out["last_checked"] = a.get("data-last-checked", "")
    if "data-clinical-review" in a:
        out["clinical_review"] = a["data-clinical-review"]
    return out


def _domain_data(r: dict[str, str]) -> dict[str, Any]:
    root = parse(r["Description"])
    idnumber = r["ID number"]
    did = idnumber[len(DOMAIN_PREFIX) :] if idnumber.startswith(DOMAIN_PREFIX) else _slug(idnumber)
    out: dict[str, Any] = {"id": did, "title": root.get("title") or r["Short name"]}
    description = root.get("description")
    if description is None and root.text.strip():
        description = root.text.strip()
    if description is not None:
        out["description"] = description
    for key in ("principles", "thrive"):
        el = root.find(key)
        if el is not None:
            out[key] = el.attrs.get("data-ids", "").split()
    out["competencies"] = []
    return out


def _competency_data(r: dict[str, str], below: list[str]) -> dict[str, Any]:
    root = parse(r["Description"])
    out: dict[str, Any] = {
        "id": r["ID number"],
        "statement": root.get("statement") or r["Short name"],
    }
    indicators = [el.text for el in root.find_all("indicator")] or below
    if indicators:
        out["indicators"] = indicators
    group = root.find("group")
    out["group"] = group.attrs.get("data-id", "core") if group is not None else "core"
    out["send"] = root.find("send") is not None
    links = root.find_all("training-link")
    if links:
        out["training"] = [el.attrs.get("data-id", "") for el in links]
    return out
