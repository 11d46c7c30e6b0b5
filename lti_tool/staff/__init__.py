"""The staff journey: align to a group, self-assess, see gaps and training, keep a plan."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.context_processor
def _support_link() -> dict[str, str]:
    from lti_tool.staff.visit import support_url

    return {"support_url": support_url()}


from lti_tool.staff import views  # noqa: E402,F401  (registers routes)
