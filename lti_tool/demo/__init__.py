"""A demo LMS for a newcomer's first run: real OIDC, real RS256 signatures, loopback only."""

from flask import Blueprint

bp = Blueprint("demo", __name__, url_prefix="/demo")

from lti_tool.demo import views  # noqa: E402,F401  (registers routes)
