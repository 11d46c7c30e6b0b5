"""Exponential backoff with full jitter, for retrying an LRS that is failing."""

from __future__ import annotations

import random


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Return how long to wait before retry number ``attempt``.

    Full jitter (a uniform draw between zero and the exponential ceiling) spreads the retries
    of many rows and workers so they do not hit a recovering LRS together.

    Args:
        attempt: 1 for the first retry, 2 for the second, and so on.
        base: Ceiling of the first delay, in seconds.
        cap: Largest ceiling, in seconds.
        rng: Source of randomness.

    Returns:
        Seconds to wait, between 0 and ``min(cap, base * 2 ** (attempt - 1))``.
    """
    ceiling = min(cap, base * 2 ** min(max(attempt, 1) - 1, 62))
    return rng.uniform(0, ceiling)
