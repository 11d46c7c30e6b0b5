"""What export and import share: the 14 tool_lpimportcsv columns, fixed cell values, and
Moodle ID numbers (the framework's, and escaping them in cross-reference lists)."""

from __future__ import annotations

import re

from frameworks.model import Framework

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
