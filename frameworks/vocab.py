"""Fixed vocabularies and identifier patterns from FORMAT.md."""

from __future__ import annotations

import re
from typing import Final

PHASES: Final = ("early-years", "primary", "secondary", "college", "multi-agency")
PHASE_LABELS: Final = {
    "early-years": "Early years",
    "primary": "Primary",
    "secondary": "Secondary",
    "college": "College",
    "multi-agency": "Multi-agency",
}

# Cumulative: each group includes every group before it.
GROUPS: Final = ("core", "enhanced", "targeted")

PRINCIPLES: Final = {
    "leadership": "Leadership and management",
    "ethos-environment": "School ethos and environment",
    "curriculum": "Curriculum, teaching and learning",
    "student-voice": "Student voice",
    "staff-development": "Staff development",
    "identifying-need": "Identifying need and monitoring impact",
    "parents-carers": "Working with parents and carers",
    "targeted-support": "Targeted support and referral",
}

THRIVE: Final = {
    "thriving": "Thriving",
    "getting-advice": "Getting advice",
    "getting-help": "Getting help",
    "getting-more-help": "Getting more help",
    "getting-risk-support": "Getting risk support",
}

REACH: Final = ("national", "local")
FORMATS: Final = ("e-learning", "face-to-face", "webinar", "blended", "reading", "coaching")
COSTS: Final = ("free", "funded", "paid")

MIN_DURATION: Final = 15
MAX_DURATION: Final = 960
MAX_ID_LENGTH: Final = 64

# Ratings that sit beside the ordered levels; level ids may not reuse them.
NOT_APPLICABLE: Final = "not-applicable"
PRIOR_QUALIFICATION: Final = "prior-qualification"

SLUG: Final = re.compile(r"[a-z0-9-]+")
COMPETENCY_ID: Final = re.compile(r"[a-z0-9][a-z0-9.-]*")
VERSION: Final = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
