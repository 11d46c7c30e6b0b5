"""The schema of an overlay file: its header, and what it may add, hide and relabel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from frameworks.framework_schema import (
    COMPETENCY,
    COMPETENCY_ID,
    DOMAIN,
    GROUP,
    ROLE,
    SLUG,
    TRAINING,
)
from frameworks.schema import F, ListOf, Record, Reporter, Spec, Text, Url
from frameworks.versioning import VersionRange
from frameworks.yamlsource import PathT


@dataclass
class _VersionRangeSpec(Spec):
    def check(self, value: Any, path: PathT, r: Reporter) -> bool:
        if not isinstance(value, str):
            r.add(path, 'expected a version range in quotes, e.g. ">=1.0,<2"')
            return False
        try:
            VersionRange.parse(value)
        except ValueError as exc:
            r.add(path, str(exc))
            return False
        return True


def _ids(spec: Spec = SLUG) -> F:
    return F(ListOf(spec, unique=True), required=False)


_OVERLAY_FILE = Record(
    {
        "overlay": F(
            Record(
                {
                    "id": F(SLUG),
                    "title": F(Text()),
                    "publisher": F(Text()),
                    "base": F(SLUG),
                    "base_versions": F(_VersionRangeSpec()),
                }
            )
        ),
        "add": F(
            Record(
                {
                    "roles": F(ListOf(ROLE), required=False),
                    "training": F(ListOf(TRAINING), required=False),
                    "domains": F(ListOf(DOMAIN), required=False),
                    "competencies": F(
                        ListOf(Record({"domain": F(SLUG), **COMPETENCY.fields})), required=False
                    ),
                    "links": F(
                        ListOf(
                            Record(
                                {
                                    "competency": F(COMPETENCY_ID),
                                    "training": F(ListOf(SLUG, min_items=1, unique=True)),
                                }
                            )
                        ),
                        required=False,
                    ),
                }
            ),
            required=False,
        ),
        "hide": F(
            Record(
                {
                    "domains": _ids(),
                    "competencies": _ids(COMPETENCY_ID),
                    "training": _ids(),
                    "roles": _ids(),
                }
            ),
            required=False,
        ),
        "relabel": F(
            Record(
                {
                    "domains": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(SLUG),
                                    "title": F(Text(), False),
                                    "description": F(Text(), False),
                                }
                            )
                        ),
                        False,
                    ),
                    "competencies": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(COMPETENCY_ID),
                                    "statement": F(Text(), False),
                                    "indicators": F(ListOf(Text(), min_items=1), False),
                                }
                            )
                        ),
                        False,
                    ),
                    "training": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(SLUG),
                                    "title": F(Text(), False),
                                    "provider": F(Text(), False),
                                    "url": F(Url(), False),
                                }
                            )
                        ),
                        False,
                    ),
                    "roles": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(SLUG),
                                    "label": F(Text(), False),
                                    "group": F(GROUP, False),
                                    "keywords": F(ListOf(Text()), False),
                                }
                            )
                        ),
                        False,
                    ),
                    "groups": F(
                        ListOf(
                            Record(
                                {
                                    "id": F(GROUP),
                                    "title": F(Text(), False),
                                    "description": F(Text(), False),
                                }
                            )
                        ),
                        False,
                    ),
                }
            ),
            required=False,
        ),
    }
)
