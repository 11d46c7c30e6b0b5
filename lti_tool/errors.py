"""The tool's error hierarchy and the one place that renders errors as pages.

Each error carries a plain-English message for the person who met it and a hint for the
administrator who can fix it. Nothing technical reaches a page: the details go to the log
under a correlation id that the page shows.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, ClassVar

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ToolError(Exception):
    """A failure the tool explains to the person who met it."""

    status_code: ClassVar[int] = 400
    title: ClassVar[str] = "Something went wrong"
    message: ClassVar[str] = "The tool could not complete your request."
    admin_hint: ClassVar[str] = ""

    def __init__(self, detail: str = "", **context: Any) -> None:
        super().__init__(detail or self.message)
        self.detail = detail
        self.context = context

    def user_message(self) -> str:
        """What the person sees; subclasses may fill in context."""
        return self.message.format(**self.context) if self.context else self.message

    def hint(self) -> str:
        """What an administrator should check."""
        return self.admin_hint.format(**self.context) if self.context else self.admin_hint


class LaunchError(ToolError):
    """The LMS launch could not be accepted."""

    title = "This launch could not be accepted"
    admin_hint = "Check the tool's registration on the LMS and on the tool (semh-lti platforms)."


class UnknownIssuerError(LaunchError):
    message = "The learning platform that sent you here is not registered with this tool."
    admin_hint = (
        "Register the platform (issuer {issuer}) with `semh-lti platforms add` or use LTI "
        "Dynamic Registration, then launch again."
    )


class UnknownClientError(LaunchError):
    message = "This tool does not recognise the client id the learning platform used."
    admin_hint = (
        "The platform {issuer} sent client id {client_id}, which is not registered. Compare the "
        "client id shown in the LMS tool settings with `semh-lti platforms list`."
    )


class WrongAudienceError(LaunchError):
    message = "The sign-in token was addressed to a different tool."
    admin_hint = (
        "The token's audience ({audience}) matches no client id registered for {issuer}. "
        "Check that the LMS tool settings and the tool's registration use the same client id."
    )


class UnknownDeploymentError(LaunchError):
    message = "This placement of the tool has not been set up yet."
    admin_hint = (
        "Deployment id {deployment_id} from {issuer} is not registered. Add it with "
        "`semh-lti platforms add-deployment`."
    )


class BadSignatureError(LaunchError):
    message = "The sign-in token from the learning platform could not be verified."
    admin_hint = (
        "The id_token's signature did not verify against the platform's public keys. Check "
        "the platform's key set URL in the registration."
    )


class UnknownKeyError(LaunchError):
    message = "The sign-in token was signed with a key this tool cannot find."
    admin_hint = (
        "No key with the token's key id was found at the platform's key set URL. Check the key "
        "set URL, or whether the platform has rotated its keys."
    )


class PlatformKeysUnavailableError(LaunchError):
    status_code = 502
    message = "The tool could not reach the learning platform to check your sign-in."
    admin_hint = "Fetching the platform's key set failed. Check that its key set URL is reachable."


class ExpiredTokenError(LaunchError):
    message = "The sign-in took too long and has expired."
    admin_hint = (
        "The id_token had expired (or was not yet valid) when it arrived. Check the clocks of the "
        "LMS and tool servers."
    )


class ReplayedLaunchError(LaunchError):
    message = "This sign-in has already been used."
    admin_hint = (
        "The same id_token was presented twice, so the second use was refused. Opening the "
        "activity again from the course starts a fresh sign-in."
    )


class StateMismatchError(LaunchError):
    message = (
        "Your browser did not keep the sign-in details between steps, often because it blocks "
        "cookies inside embedded pages."
    )
    admin_hint = (
        "The OIDC state did not match. Serve the tool over HTTPS so its cookies can be "
        "Partitioned, or set the activity to open in a new window."
    )


class MissingClaimsError(LaunchError):
    message = "The learning platform did not send everything this tool needs."
    admin_hint = "The launch lacked required information: {missing}."


class UnsupportedMessageError(LaunchError):
    message = "The learning platform asked for something this tool does not do."
    admin_hint = (
        "Message type {message_type!s} is not supported; the tool accepts resource-link and "
        "deep-linking launches."
    )


class LaunchReferenceError(ToolError):
    status_code = 401
    title = "Your session has ended"
    message = (
        "This page's link has expired or is not valid. Nothing you saved has been lost: go back "
        "to your course and open the activity again."
    )
    admin_hint = "Launch references last {max_age} seconds (SEMH_LAUNCH_REF_MAX_AGE)."


class RegistrationError(ToolError):
    """Dynamic registration with a platform failed."""

    status_code = 400
    title = "Registration did not complete"
    message = "The tool could not register with the learning platform: {reason}"
    admin_hint = "Start the registration again from the LMS; the registration link lasts an hour."


class InvalidInputError(ToolError):
    """Something a person sent cannot be accepted; the message says what and how to fix it."""

    status_code = 400
    title = "Please check your answer"
    message = "{problem}"


class NotFoundError(ToolError):
    status_code = 404
    title = "Not found"
    message = "{what} could not be found. Go back and choose again."


class ConflictError(ToolError):
    status_code = 409
    title = "Already done"
    message = "{problem}"


class ForbiddenError(ToolError):
    status_code = 403
    title = "Not available here"
    message = "{reason}"


def register_error_handlers(app: Flask) -> None:
    """Render every error — ours, HTTP ones and unexpected ones — through one template."""
    app.register_error_handler(ToolError, _handle_tool_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(Exception, _handle_unexpected)


def _correlation_id() -> str:
    return uuid.uuid4().hex[:12]


def _rollback() -> None:
    from lti_tool.extensions import db  # the error path must not hold a half-done transaction

    db.session.rollback()


def _render(
    status: int,
    title: str,
    message: str,
    hint: str,
    correlation_id: str,
    retry_url: str | None = None,
) -> tuple[Any, int]:
    if request.accept_mimetypes.best == "application/json":
        body = {"error": title, "message": message, "correlation_id": correlation_id}
        return jsonify(body), status
    html = render_template(
        "errors/error.html",
        status=status,
        title=title,
        message=message,
        hint=hint,
        correlation_id=correlation_id,
        retry_url=retry_url,
    )
    return html, status


def _handle_tool_error(error: ToolError) -> tuple[Any, int]:
    _rollback()
    cid = _correlation_id()
    log.warning(
        "%s [%s] %s: %s %s", type(error).__name__, cid, request.path, error.detail, error.context
    )
    return _render(
        error.status_code,
        error.title,
        error.user_message(),
        error.hint(),
        cid,
        retry_url=error.context.get("retry_url"),
    )


def _handle_http_error(error: HTTPException) -> tuple[Any, int]:
    _rollback()
    cid = _correlation_id()
    status = error.code or 500
    log.info("HTTP %s [%s] %s", status, cid, request.path)
    messages = {
        404: ("Page not found", "There is no page at this address."),
        405: ("Not allowed", "This page cannot be used that way. Go back and try again."),
    }
    title, message = messages.get(status, (error.name, "The request could not be completed."))
    return _render(status, title, message, "", cid)


def _handle_unexpected(error: Exception) -> tuple[Any, int]:
    _rollback()
    cid = _correlation_id()
    log.exception("Unexpected error [%s] on %s", cid, request.path)
    return _render(
        500,
        "Something went wrong on our side",
        "The tool hit an unexpected problem. Nothing you had already saved has been lost.",
        "Search the tool's log for the reference below.",
        cid,
    )
