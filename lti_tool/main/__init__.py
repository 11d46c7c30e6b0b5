"""Pages outside the LTI handshake: the landing page and each audience's home."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from lti_tool.main import views  # noqa: E402,F401  (registers routes)
