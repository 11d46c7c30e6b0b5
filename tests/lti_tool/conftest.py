"""Fixtures for the tool: an app on a migrated database, its client, and a live server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade

from lti_tool import create_app
from lti_tool.delivery import stop_delivery
from lti_tool.extensions import db
from tests.support.net import free_port
from tests.support.servers import serve


def build_app(database_url: str, instance: Path, **overrides: Any) -> Flask:
    """A tool app on ``database_url`` with every migration applied."""
    config = {
        "database_url": database_url,
        "secret_key": "test-secret",
        "instance_path": instance,
        "demo_enabled": True,
    } | overrides
    app = create_app(config)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
    return app


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Factory for apps on this test's database (parametrised over SQLite and PostgreSQL)."""
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = build_app(database_url, tmp_path / "instance", **overrides)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        stop_delivery(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The tool on a fresh, migrated database."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the tool."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for the tool's commands."""
    return app.test_cli_runner()


@pytest.fixture
def live_tool(make_app: Callable[..., Flask]) -> Iterator[tuple[Flask, str]]:
    """The tool served over real HTTP on 127.0.0.1, with its public base URL set."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = make_app(base_url=base)
    with serve(app, port=port) as url:
        yield app, url
