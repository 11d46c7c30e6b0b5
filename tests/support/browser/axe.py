"""axe-core accessibility checks for a Playwright Page or Frame (including a cross-origin iframe).

axe-core comes from npm (``npm install`` in the project root puts it in
``node_modules/axe-core/axe.min.js``). It is injected with ``evaluate`` into the very frame
being checked, so a tool page framed by an LMS on another origin is checked in its own
document (``axe.run`` on the top page cannot see into a cross-origin frame). ``evaluate``
runs through the DevTools protocol, so a page's Content-Security-Policy does not block it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Frame, Page

PROJECT_ROOT = Path(__file__).resolve().parents[3]
AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"

DEFAULT_IMPACTS: tuple[str, ...] = ("serious", "critical")

_RUN = """
async ([context, options]) => {
  const result = await window.axe.run(context || document, options);
  return {
    version: result.testEngine && result.testEngine.version,
    url: result.url,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => Array.isArray(t) ? t.join(" >>> ") : String(t)),
        impact: n.impact,
        html: n.html,
        summary: n.failureSummary || "",
      })),
    })),
  };
}
"""


@dataclass(frozen=True)
class AxeNode:
    """One element that fails a rule."""

    target: tuple[str, ...]
    impact: str | None
    html: str
    summary: str


@dataclass(frozen=True)
class AxeViolation:
    """One failed axe rule and the elements that fail it."""

    id: str
    impact: str | None
    help: str
    help_url: str
    nodes: tuple[AxeNode, ...]
    url: str = ""

    @property
    def targets(self) -> list[str]:
        """CSS selectors of the failing elements (``>>>`` separates shadow/frame hops)."""
        return [", ".join(node.target) for node in self.nodes]

    def summary(self, max_nodes: int = 5) -> str:
        """``rule-id [impact] help (url)`` and a line per failing element."""
        lines = [f"{self.id} [{self.impact}] {self.help} ({self.help_url})"]
        for node in self.nodes[:max_nodes]:
            detail = "; ".join(
                " ".join(line.split()) for line in node.summary.splitlines() if line.strip()
            )
            lines.append(f"    at {', '.join(node.target)}: {node.html[:160]}")
            if detail:
                lines.append(f"       {detail[:300]}")
        if len(self.nodes) > max_nodes:
            lines.append(f"    … and {len(self.nodes) - max_nodes} more")
        return "\n".join(lines)


@functools.cache
def axe_source(path: Path = AXE_PATH) -> str:
    """The axe-core script, or a clear error saying how to install it."""
    if not path.is_file():
        raise FileNotFoundError(
            f"axe-core not found at {path}; run `npm install` in {PROJECT_ROOT} "
            "(package.json lists axe-core in devDependencies)"
        )
    return path.read_text(encoding="utf-8")


def inject_axe(target: Page | Frame) -> str:
    """Load axe-core into ``target``'s document (once per document); returns its version."""
    version = target.evaluate("() => window.axe ? window.axe.version : null")
    if version:
        return str(version)
    # Evaluated as a script (not a function), so the UMD bundle defines window.axe.
    target.evaluate(axe_source() + "\n;void 0")
    return str(target.evaluate("() => window.axe.version"))


def run_axe(
    target: Page | Frame,
    *,
    context: str | Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run axe on ``target`` and return its trimmed result (version, url, violations)."""
    inject_axe(target)
    run_options: dict[str, Any] = {"resultTypes": ["violations"], "iframes": False}
    run_options.update(options or {})
    return target.evaluate(_RUN, [context, run_options])  # type: ignore[no-any-return]


def axe_violations(
    target: Page | Frame,
    impacts: Iterable[str] | None = DEFAULT_IMPACTS,
    *,
    context: str | Mapping[str, Any] | None = None,
    disable_rules: Iterable[str] = (),
    options: Mapping[str, Any] | None = None,
) -> list[AxeViolation]:
    """axe violations in ``target`` whose impact is in ``impacts`` (None: every impact).

    ``context`` narrows the check (a selector or axe context object); ``disable_rules``
    switches rules off by id; ``options`` go to ``axe.run`` as they are. Frames are not
    followed: check each frame of interest on its own (see ``iframe_launch``).
    """
    run_options = dict(options or {})
    if disable_rules:
        rules = dict(run_options.get("rules", {}))
        rules.update({rule: {"enabled": False} for rule in disable_rules})
        run_options["rules"] = rules
    result = run_axe(target, context=context, options=run_options)
    wanted = None if impacts is None else set(impacts)
    found = []
    for raw in result["violations"]:
        nodes = tuple(
            AxeNode(tuple(n["target"]), n["impact"], n["html"], n["summary"])
            for n in raw["nodes"]
            if wanted is None or (n["impact"] or raw["impact"]) in wanted
        )
        if not nodes:
            continue
        found.append(
            AxeViolation(
                raw["id"], raw["impact"], raw["help"], raw["helpUrl"], nodes, result["url"]
            )
        )
    return found


def format_violations(violations: Iterable[AxeViolation], url: str = "") -> str:
    """A readable report of ``violations``, one block per rule."""
    items = list(violations)
    if not items:
        return "no axe violations"
    where = url or items[0].url
    head = f"{len(items)} axe violation(s)" + (f" on {where}:" if where else ":")
    return "\n".join([head, *(v.summary() for v in items)])


def assert_accessible(
    target: Page | Frame,
    impacts: Iterable[str] | None = DEFAULT_IMPACTS,
    **kwargs: Any,
) -> None:
    """Fail with a readable summary when axe finds violations of these impacts."""
    violations = axe_violations(target, impacts, **kwargs)
    assert not violations, format_violations(violations, target.url)
