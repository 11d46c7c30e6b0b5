"""Real messages captured from a Moodle 4.5.6 platform (copied from shared/lms-samples)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).parent / "moodle_samples"


def sample(name: str) -> dict[str, Any]:
    """One captured message, parsed."""
    return json.loads((SAMPLES / name).read_text())  # type: ignore[no-any-return]


def launch_claims(name: str) -> dict[str, Any]:
    """The id_token claims of a captured launch."""
    return sample(name)["claims"]  # type: ignore[no-any-return]
