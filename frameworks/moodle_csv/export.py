"""Writing a framework as a tool_lpimportcsv CSV: the rows, and the HTML descriptions that
carry what Moodle has no column for (see the frameworks.moodle_csv docstring)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from frameworks import vocab
from frameworks.htmlfragment import tag, text
from frameworks.model import Competency, Domain, Framework
from frameworks.moodle_csv.layout import (
    DOMAIN_PREFIX,
    FORMAT_HTML,
    HEADERS,
    MAX_MOODLE_TEXT,
    TAXONOMY,
    framework_idnumber,
)


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
