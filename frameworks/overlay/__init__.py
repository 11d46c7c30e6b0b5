"""Local overlays: an organisation's additions, hidden items and relabels on a base framework.

The overlay file never copies the base; it names the base id and the range of base versions
it was written for, so it keeps applying when the base moves on. Anything it refers to that
the base no longer has is skipped with an OverlayWarning rather than a crash.
"""

from frameworks.overlay.applying import OverlayResult, apply_overlay, resolve_overlay
from frameworks.overlay.parsing import Overlay, load_overlay, parse_overlay
from frameworks.overlay.parsing import Relabel as Relabel  # importable, not in __all__

__all__ = [
    "Overlay",
    "OverlayResult",
    "apply_overlay",
    "load_overlay",
    "parse_overlay",
    "resolve_overlay",
]
