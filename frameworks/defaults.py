"""Wording used when an imported file does not carry a field (a foreign Moodle framework)."""

from __future__ import annotations

from typing import Final

GROUP_TEXT: Final = {
    "core": (
        "Core",
        "For every adult who has any contact with children and young people, even brief: "
        "notice, respond kindly and know who to tell.",
    ),
    "enhanced": (
        "Enhanced",
        "For staff in regular, direct contact who are often a trusted adult: as well as core, "
        "recognise, respond, support, adapt practice and refer.",
    ),
    "targeted": (
        "Targeted",
        "For staff with a designated responsibility for SEMH, SEND, safeguarding or pastoral "
        "care: as well as core and enhanced, assess, plan, lead and work with other services.",
    ),
}

NOT_APPLICABLE: Final = (
    "Not applicable to my role",
    "This statement does not fit the work I do.",
)
PRIOR_QUALIFICATION: Final = (
    "Met through a prior qualification",
    "I already meet this through a professional qualification or registration.",
)
