"""xapi stands alone: no Flask, no pylti1p3, nothing of the app, yet fits the app's session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from uuid import uuid4

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select

from tests.xapi import samples
from xapi.outbox import OutboxBase, OutboxEntry, enqueue

XAPI = Path(__file__).parents[2] / "xapi"
FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_migrate", "pylti1p3", "lti_tool", "frameworks")


def test_importing_every_xapi_module_pulls_in_no_flask_pylti1p3_or_app_code() -> None:
    modules = sorted(
        ".".join(("xapi", *path.relative_to(XAPI).with_suffix("").parts)).removesuffix(".__init__")
        for path in XAPI.rglob("*.py")
    )
    assert "xapi.outbox.worker" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({FORBIDDEN!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_enqueue_joins_a_flask_sqlalchemy_session(tmp_path: Path) -> None:
    """The app passes db.session; the row commits with it and the wake-up fires after."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    db = SQLAlchemy(app)
    woken: list[int] = []
    statement = samples.rating(uuid4())
    with app.app_context():
        OutboxBase.metadata.create_all(db.engine)
        assert enqueue(db.session, statement, on_commit=lambda: woken.append(1))
        assert woken == []
        db.session.commit()
        assert woken == [1]
        row = db.session.scalars(select(OutboxEntry)).one()
    assert row.payload == statement.to_json_bytes()
