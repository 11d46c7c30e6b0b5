"""Flask extensions, created here and bound to the app in ``create_app``."""

from __future__ import annotations

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from lti_tool.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
