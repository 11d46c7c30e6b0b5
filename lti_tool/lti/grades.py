"""Posting queued scores to the platform's gradebook with LTI Assignment and Grade Services.

Runs outside any request (a worker thread or the CLI). Connection errors, timeouts and 5xx
answers retry with backoff; a 409 means the platform already holds a score at least as new
(Moodle compares timestamps), so the submission is done; other 4xx answers are final.
"""

from __future__ import annotations

import logging
import random
import threading
from datetime import datetime, timedelta
from typing import Any

import requests
import sqlalchemy as sa
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy.orm import Session

from lti_tool.lti.http import session_with_timeouts
from lti_tool.lti.tool_config import DatabaseToolConf
from lti_tool.models import ScoreSubmission, utcnow
from lti_tool.services.keys import ensure_signing_key

log = logging.getLogger(__name__)

LINEITEM_TAG = "semh-self-assessment"
MAX_ATTEMPTS = 12
BACKOFF_BASE, BACKOFF_CAP = 2.0, 600.0


class CachingServiceConnector(ServiceConnector):  # type: ignore[misc]
    """Access tokens cached per connector instance, keyed by issuer, client id and scopes.

    pylti1p3's Flask connector shares one class-wide cache keyed by issuer and scopes only,
    which would hand one client id's token to another client of the same platform.
    """

    def __init__(self, registration: Any, tokens: dict[str, tuple[str, datetime]]) -> None:
        super().__init__(registration, session_with_timeouts())
        self._tokens = tokens

    def _key(self, scope_key: str) -> str:
        return f"{self._registration.get_client_id()}|{scope_key}"

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        cached = self._tokens.get(self._key(scope_key))
        if cached and cached[1] > utcnow():
            return cached[0]
        return None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        lifetime = max(float(expires_in or 0) - 30, 0)
        self._tokens[self._key(scope_key)] = (access_token, utcnow() + timedelta(seconds=lifetime))


class GradeDeliverer:
    """Posts due score submissions; safe to call from one thread at a time per process."""

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[str, datetime]] = {}
        self._rng = random.Random()  # noqa: S311 - retry jitter, not security

    def deliver_due(self, session: Session, limit: int = 20) -> int:
        """Try due submissions once each, one at a time; returns how many were delivered.

        Each row is locked while it is posted (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so
        the workers of several web processes never post the same score together.
        """
        delivered = 0
        for _ in range(limit):
            submission = session.scalars(
                sa.select(ScoreSubmission)
                .where(
                    ScoreSubmission.status == "pending", ScoreSubmission.next_attempt_at <= utcnow()
                )
                .order_by(ScoreSubmission.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if submission is None:
                break
            delivered += self._attempt(session, submission)
            session.commit()
        return delivered

    def _attempt(self, session: Session, submission: ScoreSubmission) -> int:
        submission.attempts += 1
        try:
            self._post(session, submission)
        except LtiServiceException as error:
            status = error.response.status_code
            if status == 409:
                return self._done(submission, "the platform already holds a newer score")
            if 400 <= status < 500 and status not in (408, 429):
                return self._dead(submission, f"HTTP {status}: {error.response.text[:300]}")
            return self._retry(submission, f"HTTP {status}")
        except requests.RequestException as error:
            return self._retry(submission, f"{type(error).__name__}: {error}")
        except LtiException as error:
            return self._dead(submission, str(error))
        return self._done(submission, "")

    def _post(self, session: Session, submission: ScoreSubmission) -> None:
        link = submission.resource_link
        platform = link.context.deployment.platform
        conf = DatabaseToolConf(session, ensure_signing_key(session))
        registration = conf.find_registration_by_params(platform.issuer, platform.client_id)
        if registration is None:
            raise LtiException("the platform registration has been removed")
        connector = CachingServiceConnector(registration, self._tokens)
        ags = AssignmentsGradesService(
            connector,
            {
                "scope": list(link.ags_scopes or ()),
                "lineitem": link.ags_lineitem_url or "",
                "lineitems": link.context.ags_lineitems_url or "",
            },
        )
        grade = (
            Grade()
            .set_score_given(submission.score_given)
            .set_score_maximum(submission.score_maximum)
            .set_activity_progress(submission.activity_progress)
            .set_grading_progress(submission.grading_progress)
            .set_timestamp(submission.timestamp.isoformat())
            .set_user_id(submission.person.subject)
            .set_comment(submission.comment)
        )
        if link.ags_lineitem_url:
            ags.put_grade(grade)
            return
        # No lineitem claim: find our column by tag, or create it (LTI AGS §3.2).
        lineitem = (
            LineItem()
            .set_tag(LINEITEM_TAG)
            .set_label("SEMH self-assessment")
            .set_score_maximum(submission.score_maximum)
            .set_resource_link_id(link.link_id)
        )
        ags.put_grade(grade, ags.find_or_create_lineitem(lineitem))

    def _done(self, submission: ScoreSubmission, note: str) -> int:
        submission.status, submission.delivered_at, submission.last_error = (
            "delivered",
            utcnow(),
            note,
        )
        return 1

    def _dead(self, submission: ScoreSubmission, reason: str) -> int:
        log.warning("Score %s refused for good: %s", submission.id, reason)
        submission.status, submission.last_error = "dead", reason
        return 0

    def _retry(self, submission: ScoreSubmission, reason: str) -> int:
        if submission.attempts >= MAX_ATTEMPTS:
            return self._dead(submission, f"gave up after {submission.attempts} attempts: {reason}")
        delay = self._rng.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**submission.attempts))
        submission.next_attempt_at = utcnow() + timedelta(seconds=delay)
        submission.last_error = reason
        log.info("Score %s will be retried in %.0f s: %s", submission.id, delay, reason)
        return 0


class GradeWorker:
    """A background thread that drains the score outbox, woken after each new score."""

    def __init__(self, app: Any, poll_interval: float = 15.0) -> None:
        self._app = app
        self._poll = poll_interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.deliverer = GradeDeliverer()

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="grade-worker", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Deliver now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread and wait for it."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        from lti_tool.extensions import db

        while not self._stop.is_set():
            with self._app.app_context():
                try:
                    self.deliverer.deliver_due(db.session)
                except Exception:  # the worker must outlive any one bad row or outage
                    log.exception("Score delivery round failed")
                    db.session.rollback()
                finally:
                    db.session.remove()
            self._wake.wait(self._poll)
            self._wake.clear()
