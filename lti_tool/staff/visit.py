"""What every staff page needs to know about the person in front of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, redirect, url_for
from werkzeug.wrappers import Response

from frameworks import Framework
from lti_tool.errors import LaunchReferenceError
from lti_tool.extensions import db
from lti_tool.launch import LaunchContext
from lti_tool.lti.references import current_launch
from lti_tool.lti.runtime import settings
from lti_tool.models import StaffProfile
from lti_tool.services import alignment, platforms
from lti_tool.services.launches import LaunchRecord, find_launch_record


@dataclass
class Visit:
    """The launch, the person's database ids, their framework and profile (if any yet)."""

    launch: LaunchContext
    record: LaunchRecord
    reference: str
    framework: Framework | None
    profile: StaffProfile | None

    def url(self, endpoint: str, **values: Any) -> str:
        """A URL on the tool that keeps the launch reference."""
        return url_for(endpoint, lr=self.reference, **values)

    def go(self, endpoint: str, **values: Any) -> Response:
        """Redirect (303) within the tool, keeping the launch reference."""
        return redirect(self.url(endpoint, **values), code=303)


def current_visit() -> Visit:
    """The visit of this request, built once."""
    if "visit" not in g:
        launch = current_launch()
        try:
            record = find_launch_record(db.session, launch)
        except LookupError as error:
            raise LaunchReferenceError(str(error), max_age=settings().launch_ref_max_age) from None
        framework_id = alignment.context_framework(db.session, record.context_id, launch.custom)
        framework = alignment.framework_by_id(framework_id) if framework_id else None
        profile = (
            alignment.find_profile(db.session, record.person_id, framework.id)
            if framework
            else None
        )
        g.visit = Visit(launch, record, g.launch_ref, framework, profile)
    return g.visit  # type: ignore[no-any-return]


def support_url() -> str:
    """The wellbeing support link for this person's deployment, or the tool-wide default.

    Error pages render without a valid launch, so this never resolves one itself.
    """
    launch = g.get("launch")
    chosen = None
    if launch is not None:
        chosen = platforms.support_url_for(
            db.session, launch.issuer, launch.client_id, launch.deployment_id
        )
    return chosen or settings().support_url
