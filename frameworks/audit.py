"""The printable blank self-audit: one HTML page per framework and group, for A4 paper."""

from __future__ import annotations

from pathlib import Path

import jinja2

from frameworks.model import Framework, group_rank
from frameworks.vocab import GROUPS, PHASE_LABELS

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(("html",), default=True),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_audit(framework: Framework, group: str, include_send: bool = False) -> str:
    """A blank self-audit for `group` (cumulative), with the SEND overlay if asked for."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}; expected one of {', '.join(GROUPS)}")
    wanted = {c.id for c in framework.competencies_for(group, include_send)}
    domains = [(d, [c for c in d.competencies if c.id in wanted]) for d in framework.domains]
    return _ENV.get_template("audit.html").render(
        fw=framework,
        group=framework.group(group),
        covered=[framework.group(g) for g in GROUPS[: group_rank(group) + 1]],
        include_send=include_send,
        domains=[(d, comps) for d, comps in domains if comps],
        phase=PHASE_LABELS.get(framework.phase, framework.phase),
        count=len(wanted),
    )
