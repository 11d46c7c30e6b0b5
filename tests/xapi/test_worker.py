"""The embedded worker thread: wakes on commit, polls otherwise, stops promptly."""

from __future__ import annotations

import time
from collections.abc import Callable
from uuid import uuid4

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.support.net import wait_until
from tests.xapi import samples
from tests.xapi.lrs_server import LearningLockerLRS
from xapi.client import LRSClient
from xapi.outbox import OutboxBase, OutboxWorker, enqueue, outbox_counts
from xapi.settings import XapiSettings

pytestmark = pytest.mark.lrs


def _pending(engine: Engine) -> int:
    with engine.connect() as conn:
        return outbox_counts(conn).pending


def test_wake_after_commit_delivers_without_waiting_for_the_poll(
    outbox_engine: Engine, lrs: LearningLockerLRS, settings_for: Callable[..., XapiSettings]
) -> None:
    settings = settings_for(lrs.endpoint, poll_interval=60)
    with LRSClient.from_settings(settings) as client:
        worker = OutboxWorker(outbox_engine, client, settings)
        worker.start()
        try:
            time.sleep(0.5)  # the first round found nothing; the worker sleeps for 60 s now
            with Session(outbox_engine) as session:
                enqueue(session, samples.rating(uuid4()))  # no wake-up asked for
                session.commit()
            time.sleep(1.0)
            assert _pending(outbox_engine) == 1

            registration = uuid4()
            started = time.monotonic()
            with Session(outbox_engine) as session:
                for statement in samples.ratings(5, registration):
                    enqueue(session, statement, on_commit=worker.wake)
                session.commit()
            wait_until(lambda: _pending(outbox_engine) == 0, timeout=10, what="delivery")
            assert time.monotonic() - started < 10
            assert len(lrs.statement_ids(registration=str(registration))) == 5
        finally:
            worker.stop()
    assert not worker.running


def test_stop_ends_the_thread_promptly(
    outbox_engine: Engine, lrs: LearningLockerLRS, settings_for: Callable[..., XapiSettings]
) -> None:
    settings = settings_for(lrs.endpoint, poll_interval=60)
    with LRSClient.from_settings(settings) as client:
        worker = OutboxWorker(outbox_engine, client, settings)
        worker.start()
        worker.start()  # a second start is a no-op
        assert worker.running
        time.sleep(0.3)
        started = time.monotonic()
        worker.stop()
    assert not worker.running
    assert time.monotonic() - started < 5


def test_without_an_lrs_the_worker_does_nothing(
    outbox_engine: Engine, settings_for: Callable[..., XapiSettings]
) -> None:
    worker = OutboxWorker(outbox_engine, None, settings_for(None))
    worker.start()
    with Session(outbox_engine) as session:
        enqueue(session, samples.rating(uuid4()), on_commit=worker.wake)
        session.commit()
    time.sleep(0.3)
    assert not worker.running
    assert _pending(outbox_engine) == 1
    worker.stop()


def test_a_failing_lrs_is_retried_until_it_answers(
    outbox_engine: Engine,
    lrs: LearningLockerLRS,
    make_proxy,
    settings_for: Callable[..., XapiSettings],
) -> None:
    proxy = make_proxy(lrs)
    proxy.fail_next(4, status=500)
    registration = uuid4()
    settings = settings_for(proxy.endpoint)
    with LRSClient.from_settings(settings) as client:
        worker = OutboxWorker(outbox_engine, client, settings)
        with Session(outbox_engine) as session:
            for statement in samples.ratings(12, registration):
                enqueue(session, statement)
            session.commit()
        worker.start()
        try:
            wait_until(lambda: _pending(outbox_engine) == 0, timeout=20, what="delivery")
        finally:
            worker.stop()
    assert proxy.posts[:4] == [500, 500, 500, 500]
    assert worker.totals.delivered == 12
    assert sorted(lrs.statement_ids(registration=str(registration))) == sorted(
        proxy.accepted_counts()
    )


def test_the_worker_outlives_a_database_outage(
    outbox_engine: Engine,
    lrs: LearningLockerLRS,
    settings_for: Callable[..., XapiSettings],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = settings_for(lrs.endpoint)
    registration = uuid4()
    with LRSClient.from_settings(settings) as client:
        worker = OutboxWorker(outbox_engine, client, settings)
        worker.start()
        try:
            OutboxBase.metadata.drop_all(outbox_engine)
            wait_until(
                lambda: "delivery round failed (database)" in caplog.text,
                timeout=10,
                what="the worker to meet the outage",
            )
            assert worker.running
            OutboxBase.metadata.create_all(outbox_engine)
            with Session(outbox_engine) as session:
                for statement in samples.ratings(3, registration):
                    enqueue(session, statement, on_commit=worker.wake)
                session.commit()
            wait_until(lambda: _pending(outbox_engine) == 0, timeout=20, what="delivery")
        finally:
            worker.stop()
    assert len(lrs.statement_ids(registration=str(registration))) == 3
    assert "Traceback" not in caplog.text
