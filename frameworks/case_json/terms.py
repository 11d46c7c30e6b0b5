"""Fixed CASE wording both directions share: the item types we define, the SEND enhancement
title, and the rubric feedback that marks levels counting as met."""

from __future__ import annotations

MET_FEEDBACK = "Counts as met."
SEND_TITLE = (
    "SEND enhancement: competencies for working with children and young people with special "
    "educational needs and disabilities"
)
ITEM_TYPES = {
    "Domain": "A content area grouping competencies.",
    "Competency Group": "Core, enhanced or targeted; groups are cumulative.",
    "Competency": "A statement staff rate their confidence against.",
    "Indicator": "An observable example of a competency in practice.",
    "Enhancement": "The SEND enhancement overlay.",
    "Role": "A job role and the group it aligns to by default.",
    "Training": "A training item suggested for one or more competencies.",
}
