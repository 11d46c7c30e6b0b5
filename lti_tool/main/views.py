"""The landing page and the page a launch arrives at."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from lti_tool.lti.references import PARAM, current_launch
from lti_tool.lti.runtime import settings, tool_urls
from lti_tool.main import bp


@bp.get("/")
def landing() -> Any:
    """What the tool is, how to register it, and the demo for newcomers."""
    return render_template("main/landing.html", urls=tool_urls(), demo=settings().demo_enabled)


@bp.get("/home")
def home() -> Any:
    """Where a launch lands: a welcome suited to the person's audience."""
    launch = current_launch()
    return render_template("main/home.html", launch=launch, lr=request.values[PARAM])


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness for load balancers."""
    return {"status": "ok"}
