"""Migrations build the whole schema on an empty database, and the models match them."""

import sqlalchemy as sa
from flask import Flask
from flask_migrate import check

from lti_tool.extensions import db


def test_upgrade_creates_every_table_and_check_is_clean(app: Flask) -> None:
    with app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        assert "alembic_version" in tables
        check(directory=app.extensions["migrate"].directory)  # raises if models drifted
