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

from frameworks.moodle_csv.export import export_moodle_csv
from frameworks.moodle_csv.layout import (
    DOMAIN_PREFIX,
    FORMAT_HTML,
    HEADERS,
    MAX_MOODLE_TEXT,
    TAXONOMY,
    escape_idnumber,
    framework_idnumber,
    join_cross_references,
    split_cross_references,
    unescape_idnumber,
)
from frameworks.moodle_csv.reading import import_moodle_csv, moodle_csv_to_data

__all__ = [
    "DOMAIN_PREFIX",
    "FORMAT_HTML",
    "HEADERS",
    "MAX_MOODLE_TEXT",
    "TAXONOMY",
    "escape_idnumber",
    "export_moodle_csv",
    "framework_idnumber",
    "import_moodle_csv",
    "join_cross_references",
    "moodle_csv_to_data",
    "split_cross_references",
    "unescape_idnumber",
]
