"""A real platform (lti1p3platform over HTTP on 127.0.0.2) and the tool, registered together."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from lti_tool.extensions import db
from lti_tool.lti.launching import forget_key_sets
from lti_tool.models import Context, Membership, Person, ResourceLink
from lti_tool.services import platforms
from tests.support.platform import Browser, TestPlatform

CLIENT_ID = "semh-client"
DEPLOYMENT_ID = "1"


@dataclass
class Setup:
    """The platform, the tool and a browser, wired together."""

    platform: TestPlatform
    app: Flask
    tool_url: str
    browser: Browser

    def launch_url(self, client_id: str = CLIENT_ID, **kwargs: Any) -> str:
        return self.platform.launch_url(client_id, **kwargs)

    def open(self, url: str) -> Any:
        return self.browser.open(url)

    def domain_rows(self) -> dict[str, int]:
        """How many rows each launch-written table holds."""
        with self.app.app_context():
            return {
                model.__tablename__: db.session.scalar(
                    sa.select(sa.func.count()).select_from(model)
                )
                for model in (Person, Context, ResourceLink, Membership)
            }


def register_tool_in_platform(platform: TestPlatform, tool_url: str, client_id: str) -> None:
    platform.register_tool(
        client_id,
        deployment_id=DEPLOYMENT_ID,
        login_url=f"{tool_url}/lti/login",
        launch_url=f"{tool_url}/lti/launch",
        jwks_url=f"{tool_url}/lti/jwks",
        deep_link_url=f"{tool_url}/lti/launch",
    )


def register_platform_in_tool(app: Flask, platform: TestPlatform, client_id: str) -> None:
    with app.app_context():
        platforms.add_platform(
            db.session,
            platforms.PlatformDetails(
                issuer=platform.issuer,
                client_id=client_id,
                auth_login_url=platform.auth_login_url,
                auth_token_url=platform.auth_token_url,
                key_set_url=platform.jwks_url,
                deployment_ids=(DEPLOYMENT_ID,),
            ),
        )
        db.session.commit()


@pytest.fixture
def platform() -> Iterator[TestPlatform]:
    """The independently written platform, on its own loopback address."""
    with TestPlatform(host="127.0.0.2") as running:
        yield running
        assert not running.server_errors, running.server_errors


@pytest.fixture
def unregistered(platform: TestPlatform, live_tool: tuple[Flask, str]) -> Iterator[Setup]:
    """Platform and tool running, the tool known to the platform but not the other way round."""
    app, tool_url = live_tool
    forget_key_sets()
    register_tool_in_platform(platform, tool_url, CLIENT_ID)
    with Browser() as browser:
        yield Setup(platform, app, tool_url, browser)


@pytest.fixture
def setup(unregistered: Setup) -> Setup:
    """Platform and tool registered with each other."""
    register_platform_in_tool(unregistered.app, unregistered.platform, CLIENT_ID)
    return unregistered
