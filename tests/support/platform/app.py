"""The platform's Flask app: launch, service and dynamic registration views."""

from __future__ import annotations

import traceback

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from tests.support.platform import dynreg, views_launch, views_services
from tests.support.platform.runtime import runtime


def create_app() -> Flask:
    """The app. Put a :class:`Runtime` in ``app.extensions[EXTENSION_KEY]`` before serving."""
    app = Flask("lti_test_platform")
    app.register_blueprint(views_launch.bp)
    app.register_blueprint(views_services.bp)
    app.register_blueprint(dynreg.bp)

    @app.errorhandler(Exception)
    def _record_crash(exc: Exception) -> Response | HTTPException:
        if isinstance(exc, HTTPException):
            return exc
        rt = runtime()
        with rt.state.lock:
            rt.state.server_errors.append("".join(traceback.format_exception(exc)))
        return Response(f"platform error: {exc!r}", status=500, mimetype="text/plain")

    return app
