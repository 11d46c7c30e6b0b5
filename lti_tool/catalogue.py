"""What the tool offers to place in a course: one self-assessment per shipped framework."""

from __future__ import annotations


def framework_choices() -> list[tuple[str, str]]:
    """(framework id, title) for each shipped framework, in a stable order."""
    from frameworks import available_frameworks

    return [(f.id, f.title) for f in available_frameworks()]
