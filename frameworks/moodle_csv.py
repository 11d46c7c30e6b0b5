"""Moodle core competency framework CSV, as admin/tool/lpimportcsv reads and writes it.

Layout
    One framework row (Is framework = 1, empty parent), then each domain as a top-level
    competency (ID number ``domain:<id>``), then each competency as a child of its domain
    (ID number = the stable competency id). Taxonomy is ``domain,competency``.

    Indicators go in the competency description, not a third level: they are examples of
    the competency in practice and are not rated on their own, while Moodle would make every
    row a ratable competency in learning plans.

    The framework ID number is ``SEMH-<ID>-v<version>`` (e.g. SEMH-PRIMARY-v1.0.0) because a
    Moodle import always creates a new framework and ID numbers must be unique site-wide.

    The scale is the framework's levels as Moodle "Scale values" (labels, comma-separated);
    the scale configuration marks the threshold level as default and it and every level above
    it as proficient. Competencies inherit the framework scale. "Not applicable" and "prior
    qualification" are not scale values (Moodle would treat them as grades).

What Moodle carries natively: ID numbers (framework id and version, domain and competency
ids), short names (titles and statements, cut to 100 characters by Moodle), the scale
labels and proficient threshold, and the hierarchy.

Everything else is carried as readable HTML (Description format 1) whose machine-readable
parts are marked with data-semh attributes, so an export imported back gives an equal
framework:
    framework description: description, IRI, phase, publisher, licence, review date, level
        ids and descriptors, the two special ratings, groups, roles, and every training item;
    domain description: description, principles, THRIVE groupings (and the full title when
        it does not fit a Moodle short name);
    competency description: full statement when it does not fit, indicators, group, SEND
        flag and training links (shown as links for Moodle users).

Importing a CSV that lacks these marks (e.g. a framework built in Moodle) uses defaults:
id and version from the ID number (else a slug of it and 1.0.0), title from the short name;
level ids are slugs of the labels and descriptors repeat the labels; the special ratings and
group titles use standard wording (frameworks.defaults); roles are empty; a competency's
group is core and SEND is false; third-level rows become indicators. Fields with no sensible
default (IRI, phase, publisher, licence, review date, principles, THRIVE, training) are left
out, so validation names them; `frameworks import --draft` writes the file for completion.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from frameworks import defaults, vocab
from frameworks.errors import FrameworkValidationError, ValidationIssue
from frameworks.htmlfragment import Element, parse, tag, text
from frameworks.model import Competency, Domain, Framework
from frameworks.records import framework_from_data
from frameworks.yamlsource import Located

HEADERS = (
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
)
FORMAT_HTML = "1"
TAXONOMY = "domain,competency"
MAX_MOODLE_TEXT = 100
DOMAIN_PREFIX = "domain:"
_FRAMEWORK_IDNUMBER = re.compile(r"SEMH-([A-Z0-9-]+)-v(\d+\.\d+\.\d+)")


def framework_idnumber(fw: Framework) -> str:
    return f"SEMH-{fw.id.upper()}-v{fw.version}"


def escape_idnumber(idnumber: str) -> str:
    """Cross-reference lists are comma-separated, so a comma inside an ID number is %2C."""
    return idnumber.replace(",", "%2C")


def unescape_idnumber(idnumber: str) -> str:
    return idnumber.replace("%2C", ",")


def join_cross_references(idnumbers: list[str]) -> str:
    return ",".join(escape_idnumber(i) for i in idnumbers)


def split_cross_references(value: str) -> list[str]:
    return [unescape_idnumber(i) for i in value.split(",")] if value else []


def _fits(value: str) -> bool:
    # Moodle cleans short names as PARAM_TEXT (drops tags) and cuts them at 100 characters.
    return (
        len(value) <= MAX_MOODLE_TEXT
        and "<" not in value
        and ">" not in value
        and "\n" not in value
        and value == value.strip()
    )


def _short(value: str) -> str:
    if _fits(value):
        return value
    flat = " ".join(value.replace("<", "‹").replace(">", "›").split())
    if len(flat) <= MAX_MOODLE_TEXT:
        return flat
    cut = flat[: MAX_MOODLE_TEXT - 1]
    if " " in cut[60:]:
        cut = cut[: cut.rindex(" ")]
    return cut + "…"


def _scale_configuration(fw: Framework) -> str:
    threshold = fw.scale.rank(fw.scale.proficient)
    config: list[dict[str, Any]] = [{"scaleid": "1"}]
    for i, _level in enumerate(fw.scale.levels):
        config.append(
            {"id": i + 1, "scaledefault": int(i == threshold), "proficient": int(i >= threshold)}
        )
    return json.dumps(config, separators=(",", ":"))


# Export ---------------------------------------------------------------------------------


def export_moodle_csv(fw: Framework) -> str:
    """The framework as a tool_lpimportcsv CSV file (UTF-8 text, 14 columns)."""
    rows: list[list[str]] = [list(HEADERS)]
    rows.append(
        [
            "",
            _checked_idnumber(framework_idnumber(fw)),
            _short(fw.title),
            _framework_html(fw),
            FORMAT_HTML,
            ",".join(level.label for level in fw.scale.levels),
            _scale_configuration(fw),
            "",
            "",
            "",
            "",
            "",
            "1",
            TAXONOMY,
        ]
    )
    for domain in fw.domains:
        domain_idnumber = _checked_idnumber(DOMAIN_PREFIX + domain.id)
        rows.append(_row("", domain_idnumber, _short(domain.title), _domain_html(domain)))
        for comp in domain.competencies:
            rows.append(
                _row(
                    domain_idnumber,
                    _checked_idnumber(comp.id),
                    _short(comp.statement),
                    _competency_html(fw, comp),
                )
            )
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _checked_idnumber(idnumber: str) -> str:
    if len(idnumber) > MAX_MOODLE_TEXT:
        raise ValueError(f"Moodle ID numbers are at most 100 characters: {idnumber!r}")
    return idnumber


def _row(parent: str, idnumber: str, shortname: str, description: str) -> list[str]:
    # Rule outcome 0 (none) and rule config "null" are what Moodle's own exporter writes.
    return [
        parent,
        idnumber,
        shortname,
        description,
        FORMAT_HTML,
        "",
        "",
        "",
        "0",
        "null",
        "",
        "",
        "",
        "",
    ]


def _framework_html(fw: Framework) -> str:
    def dd(label: str, field: str, value: str) -> str:
        return tag("dt", text(label)) + tag("dd", text(value), data_semh=field)

    parts = [tag("p", text(fw.description), data_semh="framework-description")]
    if not _fits(fw.title):
        parts.append(tag("p", text(fw.title), data_semh="framework-title"))
    parts.append(
        tag(
            "dl",
            dd("Age phase", "phase", fw.phase)
            + dd("Version", "version", fw.version)
            + dd("Publisher", "publisher", fw.publisher)
            + dd("Licence", "licence", fw.licence)
            + dd("Next content review", "review-date", fw.review_date.isoformat())
            + dd("Framework IRI", "iri", fw.iri),
        )
    )
    scale = fw.scale
    parts.append(tag("h3", "Rating scale"))
    parts.append(
        tag(
            "p",
            "Levels from "
            + tag("strong", text(scale.level(scale.proficient).label))
            + " upward count as met.",
        )
    )
    parts.append(
        tag(
            "ol",
            "".join(
                tag(
                    "li",
                    tag("strong", text(lv.label), data_semh="label")
                    + ": "
                    + tag("span", text(lv.descriptor), data_semh="descriptor"),
                    data_semh="level",
                    data_id=lv.id,
                )
                for lv in scale.levels
            ),
        )
    )
    parts.append(
        tag(
            "ul",
            "".join(
                tag(
                    "li",
                    tag("strong", text(s.label), data_semh="label")
                    + ": "
                    + tag("span", text(s.descriptor), data_semh="descriptor"),
                    data_semh=key,
                )
                for key, s in (
                    ("not-applicable", scale.not_applicable),
                    ("prior-qualification", scale.prior_qualification),
                )
            ),
        )
    )
    roles = {r.id: r for r in fw.roles}
    parts.append(tag("h3", "Groups (cumulative: enhanced includes core, targeted includes both)"))
    parts.append(
        tag(
            "ul",
            "".join(
                tag(
                    "li",
                    tag("strong", text(g.title), data_semh="title")
                    + ": "
                    + tag("span", text(g.description), data_semh="description")
                    + " "
                    + tag(
                        "span",
                        text(
                            "Example roles: "
                            + ", ".join(
                                roles[r].label if r in roles else r for r in g.example_roles
                            )
                        ),
                        data_semh="example-roles",
                        data_ids=" ".join(g.example_roles),
                    ),
                    data_semh="group",
                    data_id=g.id,
                )
                for g in fw.groups
            ),
        )
    )
    parts.append(tag("h3", "Roles and their default group"))
    parts.append(
        tag(
            "ul",
            "".join(
                tag(
                    "li",
                    tag("span", text(r.label), data_semh="label")
                    + text(f" ({r.group})")
                    + (
                        " — also: "
                        + ", ".join(tag("span", text(k), data_semh="keyword") for k in r.keywords)
                        if r.keywords
                        else ""
                    ),
                    data_semh="role",
                    data_id=r.id,
                    data_group=r.group,
                )
                for r in fw.roles
            ),
        )
    )
    parts.append(tag("h3", "Training"))
    parts.append(tag("ul", "".join(_training_html(t) for t in fw.training)))
    return tag("div", "".join(parts), data_semh="framework", data_id=fw.id)


def _training_html(t: Any) -> str:
    title = tag("span", text(t.title), data_semh="title")
    if t.url is not None:
        title = tag("a", title, href=t.url, data_semh="url")
    details = (
        f" — {tag('span', text(t.provider), data_semh='provider')}"
        + text(f"; {t.reach}, {t.format}, {t.duration_minutes} minutes, {t.cost}; ")
        + text(f"THRIVE: {vocab.THRIVE[t.thrive]}; link checked {t.last_checked.isoformat()}")
        + (
            text(f"; clinically reviewed {t.clinical_review.isoformat()}")
            if t.clinical_review
            else ""
        )
    )
    return tag(
        "li",
        title + details,
        data_semh="training",
        data_id=t.id,
        data_reach=t.reach,
        data_format=t.format,
        data_duration=str(t.duration_minutes),
        data_cost=t.cost,
        data_thrive=t.thrive,
        data_last_checked=t.last_checked.isoformat(),
        data_clinical_review=t.clinical_review.isoformat() if t.clinical_review else None,
    )


def _domain_html(d: Domain) -> str:
    parts = []
    if not _fits(d.title):
        parts.append(tag("p", text(d.title), data_semh="title"))
    parts.append(tag("p", text(d.description), data_semh="description"))
    parts.append(
        tag(
            "p",
            "Whole-school principles: "
            + tag(
                "span",
                text("; ".join(vocab.PRINCIPLES[p] for p in d.principles)),
                data_semh="principles",
                data_ids=" ".join(d.principles),
            )
            + ". THRIVE: "
            + tag(
                "span",
                text("; ".join(vocab.THRIVE[t] for t in d.thrive)),
                data_semh="thrive",
                data_ids=" ".join(d.thrive),
            )
            + ".",
        )
    )
    return "".join(parts)


def _competency_html(fw: Framework, c: Competency) -> str:
    parts = []
    if not _fits(c.statement):
        parts.append(tag("p", text(c.statement), data_semh="statement"))
    parts.append(
        tag(
            "ul",
            "".join(tag("li", text(i), data_semh="indicator") for i in c.indicators),
            data_semh="indicators",
        )
    )
    send = tag("span", "; part of the SEND enhancement", data_semh="send") if c.send else ""
    parts.append(
        tag(
            "p",
            "Group: "
            + tag("span", text(fw.group(c.group).title), data_semh="group", data_id=c.group)
            + send,
        )
    )
    links = []
    for tid in c.training:
        t = fw.training_item(tid)
        label = text(t.title)
        body = tag("a", label, href=t.url) if t.url else label
        links.append(tag("li", body, data_semh="training-link", data_id=tid))
    parts.append(tag("p", "Suggested training:") + tag("ul", "".join(links)))
    return "".join(parts)


# Import ---------------------------------------------------------------------------------


def import_moodle_csv(text_: str, name: str = "<moodle-csv>") -> Framework:
    """Read a tool_lpimportcsv CSV back into a Framework (see the module docstring for defaults).

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
