"""What the tool offers to place in a course: one self-assessment per shipped framework."""

from __future__ import annotations

from frameworks import load_shipped


def framework_choices() -> list[tuple[str, str]]:
    """(framework id, title) for each shipped framework, in phase order."""
    return [(framework.id, framework.title) for framework in load_shipped().values()]
