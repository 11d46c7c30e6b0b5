"""Deep linking: a teacher picks what to place in the course, and we send it back signed."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskServiceConnector, FlaskSessionService
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException

from lti_tool.catalogue import framework_choices
from lti_tool.errors import LaunchReferenceError, UnsupportedMessageError
from lti_tool.lti import bp
from lti_tool.lti.references import PARAM, current_launch
from lti_tool.lti.runtime import (
    cookie_service,
    launch_storage,
    lti_request,
    settings,
    tool_conf,
    tool_urls,
)


@bp.get("/deep-link")
def deep_link_picker() -> Any:
    """Offer the activities the teacher can add to their course."""
    launch = current_launch()
    if launch.kind != "deep-link":
        raise UnsupportedMessageError(
            "picker opened from a resource launch", message_type="LtiResourceLinkRequest"
        )
    return render_template(
        "lti/deep_link_picker.html",
        launch=launch,
        frameworks=framework_choices(),
        lr=request.values[PARAM],
    )


@bp.post("/deep-link")
def deep_link_respond() -> Any:
    """Return the chosen activity to the platform as a signed Deep Linking response."""
    launch = current_launch()
    if launch.kind != "deep-link":
        raise UnsupportedMessageError(
            "deep-link response for a resource launch", message_type="LtiResourceLinkRequest"
        )
    choices = dict(framework_choices())
    framework_id = request.form.get("framework", "")
    if framework_id not in choices:
        return render_template(
            "lti/deep_link_picker.html",
            launch=launch,
            frameworks=framework_choices(),
            lr=request.values[PARAM],
            error="Choose one of the frameworks listed.",
        ), 400
    lti_req = lti_request({})
    session_service = FlaskSessionService(lti_req)
    try:
        message_launch = FlaskMessageLaunch.from_cache(
            launch.launch_id,
            lti_req,
            tool_conf(),
            session_service=session_service,
            cookie_service=cookie_service(),
            launch_data_storage=launch_storage(),
            service_connector_cls=FlaskServiceConnector,
        )
    except LtiException as error:
        raise LaunchReferenceError(str(error), max_age=settings().launch_ref_max_age) from error
    resource = (
        DeepLinkResource()
        .set_url(tool_urls().launch)
        .set_title(f"SEMH self-assessment — {choices[framework_id]}")
        .set_custom_params({"framework": framework_id})
    )
    return message_launch.get_deep_link().output_response_form([resource])
