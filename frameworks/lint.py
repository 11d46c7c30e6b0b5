"""Authoring guidance from FORMAT.md that is advice, not a loading rule."""

from __future__ import annotations

import re

from frameworks.model import Framework

_FIRST_PERSON = re.compile(r"I\b|I'|I’")


def guidance(fw: Framework) -> list[str]:
    """Things a reviewer should look at; an empty list means nothing to flag."""
    out = []
    if len(fw.domains) < 8:
        out.append(f"{len(fw.domains)} domains; FORMAT.md asks for eight or more")
    for c in fw.competencies:
        if not 2 <= len(c.indicators) <= 4:
            out.append(f"{c.id}: {len(c.indicators)} indicators; FORMAT.md asks for 2 to 4")
        if not _FIRST_PERSON.match(c.statement):
            out.append(f'{c.id}: statement is not first-person ("I can…", "I know…")')
    used = {t for c in fw.competencies for t in c.training}
    out += [
        f"training {t.id} is not linked to any competency" for t in fw.training if t.id not in used
    ]
    return out
