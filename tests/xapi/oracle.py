"""Ralph's pydantic xAPI models as an independent judge of every statement we emit."""

from __future__ import annotations

import json
from typing import Any

from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.concepts.activity_types.scorm_profile import CourseActivity
from ralph.models.xapi.concepts.verbs.adl_vocabulary import AnsweredVerb, RegisteredVerb
from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb

# Ralph's concept models pin a verb's id and display, or an activity's type, exactly.
_VERB_MODELS = {model().id: model for model in (AnsweredVerb, RegisteredVerb, CompletedVerb)}
_ACTIVITY_MODELS = {str(CourseActivity.model_fields["definition"].default.type): CourseActivity}


def ralph_validate(statement: bytes | str | dict[str, Any]) -> BaseXapiStatement:
    """Validate one statement with Ralph's strictest applicable models; raise if it fails."""
    data = json.loads(statement) if isinstance(statement, bytes | str) else statement
    parsed = BaseXapiStatement.model_validate(data)
    verb_model = _VERB_MODELS.get(data["verb"]["id"])
    if verb_model is not None:
        verb_model.model_validate(data["verb"])
    activity_model = _ACTIVITY_MODELS.get(data["object"].get("definition", {}).get("type"))
    if activity_model is not None:
        activity_model.model_validate(data["object"])
    return parsed
