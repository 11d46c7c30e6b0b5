"""The journey's statements reach a real LRS through the tool's outbox, valid by Ralph's models."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from frameworks import get_framework
from lti_tool.extensions import db
from lti_tool.lti.launching import forget_key_sets
from tests.support.net import free_port
from tests.support.platform import LTI101, SAM_STUDENT, STUDENT_ROLES, Browser, TestPlatform
from tests.support.servers import serve
from tests.xapi.lrs_server import AUTH, LearningLockerLRS, unavailable_reason
from tests.xapi.oracle import ralph_validate
from xapi.outbox import OutboxEntry
from xapi.settings import XapiSettings

from .conftest import CLIENT_ID, Setup, register_platform_in_tool, register_tool_in_platform

pytestmark = [pytest.mark.functional, pytest.mark.lrs]
CORE = get_framework("primary").competencies_for("core")


@pytest.fixture(scope="module")
def lrs() -> Iterator[LearningLockerLRS]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    with LearningLockerLRS() as server:
        yield server


@pytest.fixture
def lrs_setup(lrs: LearningLockerLRS, make_app, platform: TestPlatform) -> Iterator[Setup]:
    user, password = AUTH
    port = free_port()
    tool_url = f"http://127.0.0.1:{port}"
    xapi = XapiSettings(
        lrs_endpoint=lrs.endpoint,
        lrs_username=user,
        lrs_password=password,
        poll_interval=0.2,
        backoff_base=0.2,
        backoff_cap=1.0,
    )
    app = make_app(base_url=tool_url, xapi=xapi)
    forget_key_sets()
    with serve(app, port=port), Browser() as browser:
        register_tool_in_platform(platform, tool_url, CLIENT_ID)
        register_platform_in_tool(app, platform, CLIENT_ID)
        yield Setup(platform, app, tool_url, browser)


def _pending(setup: Setup) -> int:
    with setup.app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).where(OutboxEntry.status != "delivered")
        )


def test_journey_statements_arrive_once_and_validate(
    lrs_setup: Setup, lrs: LearningLockerLRS
) -> None:
    setup = lrs_setup
    page = setup.open(
        setup.launch_url(
            user=SAM_STUDENT, roles=STUDENT_ROLES, context=LTI101, custom={"framework": "primary"}
        )
    )
    lr = re.search(r'name="lr" value="([^"]+)"', page.text).group(1)
    setup.browser.post(f"{setup.tool_url}/staff/group", {"lr": lr, "role": "caretaker"})
    for index, competency in enumerate(CORE):
        rating = "not-yet" if index % 4 == 0 else "confident"
        setup.browser.client.post(
            f"{setup.tool_url}/staff/api/rating",
            data={"lr": lr, "competency": competency.id, "rating": rating},
        )
    setup.browser.post(f"{setup.tool_url}/staff/assessment/finish", {"lr": lr})
    deadline = time.monotonic() + 30
    while _pending(setup) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _pending(setup) == 0
    with setup.app.app_context():
        ours = {row.id for row in db.session.scalars(sa.select(OutboxEntry))}
    stored = [s for s in lrs.statements() if s["id"] in ours]
    assert sorted(s["id"] for s in stored) == sorted(ours)  # every statement, exactly once
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[-1] for s in stored)
    assert verbs == sorted(["launched", "completed", *["answered"] * len(CORE)])
    for statement in stored:
        ralph_validate(statement)
        assert statement["actor"]["account"] == {
            "homePage": setup.platform.issuer,
            "name": SAM_STUDENT.sub,
        }
        assert "mbox" not in statement["actor"] and "name" not in statement["actor"]
        assert "score" not in statement.get("result", {})
    registrations = {
        s["context"].get("registration")
        for s in stored
        if s["verb"]["id"].endswith(("answered", "completed"))
    }
    assert len(registrations) == 1
