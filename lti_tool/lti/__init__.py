"""The LTI layer: the only package that imports pylti1p3."""

from flask import Blueprint

bp = Blueprint("lti", __name__, url_prefix="/lti")

from lti_tool.lti import deep_linking, registration, views  # noqa: E402,F401  (registers routes)
