"""Side effects that leave the process: the xAPI outbox worker and the statement journal.

The worker thread starts on the first request a process serves (so gunicorn's forked workers
each get their own) and only when an LRS is configured; without one, statements stay in the
outbox as the record until an LRS is configured.
"""

from __future__ import annotations

import atexit
import threading

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from lti_tool.config import Settings
from lti_tool.extensions import db
from lti_tool.services.journal import Journal
from xapi.client import LRSClient
from xapi.outbox import OutboxWorker

_JOURNAL = "semh_journal"
_WORKER = "semh_xapi_worker"
_GRADES = "semh_grade_worker"


def init_delivery(app: Flask, settings: Settings) -> None:
    """Create the journal now and the worker on the first request."""
    started = threading.Lock()
    holder: dict[str, OutboxWorker] = {}

    def wake() -> None:
        worker = holder.get("worker")
        if worker is not None:
            worker.wake()

    app.extensions[_JOURNAL] = Journal(settings.xapi, wake=wake)
    from lti_tool.lti.grades import GradeWorker  # the LTI package imports this module's users

    grades = GradeWorker(app)
    app.extensions[_GRADES] = grades

    @app.before_request
    def _start_grade_worker() -> None:
        grades.start()

    @app.before_request
    def _start_worker() -> None:
        if holder or not settings.xapi.lrs_configured:
            return
        with started:
            if holder:
                return
            client = LRSClient.from_settings(settings.xapi)
            worker = OutboxWorker(db.engine, client, settings.xapi)
            worker.start()
            holder["worker"] = worker
            app.extensions[_WORKER] = worker
            atexit.register(worker.stop)


def journal() -> Journal:
    """The app's statement journal."""
    return current_app.extensions[_JOURNAL]  # type: ignore[no-any-return]


def wake_grades_after_commit(session: Session) -> None:
    """Ask the grade worker to post as soon as this transaction commits."""
    grades = current_app.extensions[_GRADES]
    sa.event.listen(session, "after_commit", lambda _session: grades.wake(), once=True)


def stop_delivery(app: Flask) -> None:
    """Stop the app's worker threads, if they started (tests and shutdown)."""
    worker = app.extensions.pop(_WORKER, None)
    if worker is not None:
        worker.stop()
    grades = app.extensions.get(_GRADES)
    if grades is not None:
        grades.stop()
