"""semh-lti: an LTI 1.3 tool for SEMH competency self-assessment."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from lti_tool.config import Settings
from lti_tool.delivery import init_delivery
from lti_tool.errors import register_error_handlers
from lti_tool.extensions import db, migrate

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def _templates_dir() -> Path:
    # A wheel packages the top-level templates/ inside lti_tool/; a checkout has it beside it.
    packaged = PACKAGE_DIR / "templates"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "templates"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the tool's Flask application."""
    app = Flask(
        __name__,
        template_folder=str(_templates_dir()),
        static_folder=str(_templates_dir() / "static"),
        instance_relative_config=True,
    )
    instance = Path((test_config or {}).get("instance_path") or app.instance_path)
    settings = Settings.from_env(instance)
    if test_config:
        settings = settings.with_overrides({**test_config, "instance_path": instance})
    configure_app(app, settings)
    init_extensions(app, settings)
    init_delivery(app, settings)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def configure_app(app: Flask, settings: Settings) -> None:
    """Copy settings into Flask's config and trust one proxy's forwarded headers."""
    app.extensions["semh_settings"] = settings
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        # The tool never uses Flask's cookie session; these guard it should anything try.
        SESSION_COOKIE_SAMESITE="None",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_PARTITIONED=True,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    logging.getLogger("lti_tool").setLevel(logging.INFO)


def init_extensions(app: Flask, settings: Settings) -> None:
    """Bind the database and migrations; SQLite gets foreign keys and a busy timeout."""
    if settings.database_url.startswith("sqlite"):
        Path(settings.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL stays corruption-safe and avoids an fsync on every commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint."""
    from lti_tool.demo import bp as demo_bp
    from lti_tool.lti import bp as lti_bp
    from lti_tool.main import bp as main_bp
    from lti_tool.staff import bp as staff_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(lti_bp)
    app.register_blueprint(demo_bp)


def register_cli(app: Flask) -> None:
    """Add the tool's commands to ``flask``."""
    from lti_tool.cli import keys_group, platforms_group

    app.cli.add_command(platforms_group)
    app.cli.add_command(keys_group)
