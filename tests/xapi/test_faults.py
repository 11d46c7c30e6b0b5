"""Fault tests: whatever fails, every statement ends up in the LRS exactly once, none pending.

How "exactly once" is counted. The LRS stores in memory, so a restart forgets. A recording
proxy sits in front of it and keeps, in order, every statement id the LRS answered 2xx for,
across restarts (``proxy.accepted``). Where the LRS stays up, the LRS itself is asked for its
statements (``lrs.statement_ids``) and must hold each id once and nothing else. Where it
restarts, the proxy's ledger must show each id accepted, and the restarted LRS must hold exactly
the ids accepted after the restart. Statement ids are deterministic and the bytes identical,
so a re-send after a lost answer is a no-op for the LRS; the ledger shows when that happened.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from tests.support.net import wait_until
from tests.xapi import samples
from tests.xapi.conftest import start_worker
from tests.xapi.faulty_proxy import FaultyProxy
from tests.xapi.lrs_server import LearningLockerLRS
from xapi.client import LRSClient
from xapi.outbox import OutboxBase, OutboxEntry, OutboxWorker, enqueue, outbox_counts
from xapi.settings import XapiSettings

pytestmark = pytest.mark.lrs


def _enqueue(engine: Engine, count: int) -> tuple[str, set[str]]:
    registration = uuid4()
    statements = samples.ratings(count, registration)
    with Session(engine) as session:
        for statement in statements:
            enqueue(session, statement)
        session.commit()
    return str(registration), {str(s.id) for s in statements}


def _pending(engine: Engine) -> int:
    with engine.connect() as conn:
        return outbox_counts(conn).pending


def _all_delivered(engine: Engine, count: int) -> None:
    with engine.connect() as conn:
        counts = outbox_counts(conn)
    assert (counts.pending, counts.dead, counts.delivered) == (0, 0, count)


def _stop(process: subprocess.Popen[bytes], log: Path) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        pytest.fail(f"worker ignored SIGTERM:\n{log.read_text()}")
    return log.read_text()


def test_lrs_down_at_start_then_started(
    outbox_engine: Engine,
    own_lrs: LearningLockerLRS,
    make_proxy: Callable[..., FaultyProxy],
    settings_for: Callable[..., XapiSettings],
) -> None:
    proxy = make_proxy(own_lrs)  # own_lrs is not running yet: the proxy answers 502
    _, ids = _enqueue(outbox_engine, 40)
    settings = settings_for(proxy.endpoint)
    with LRSClient.from_settings(settings) as client:
        worker = OutboxWorker(outbox_engine, client, settings)
        worker.start()
        try:
            wait_until(lambda: proxy.posts.count(502) >= 3, timeout=20, what="failed attempts")
            assert _pending(outbox_engine) == 40
            own_lrs.start()
            wait_until(lambda: _pending(outbox_engine) == 0, timeout=30, what="delivery")
        finally:
            worker.stop()
    _all_delivered(outbox_engine, 40)
    assert proxy.accepted_counts() == Counter(dict.fromkeys(ids, 1))
    held = own_lrs.statement_ids()
    assert sorted(held) == sorted(ids)


def test_lrs_stopped_mid_delivery_and_restarted(
    outbox_engine: Engine,
    own_lrs: LearningLockerLRS,
    make_proxy: Callable[..., FaultyProxy],
    settings_for: Callable[..., XapiSettings],
) -> None:
    own_lrs.start()
    proxy = make_proxy(own_lrs, latency=0.02)
    _, ids = _enqueue(outbox_engine, 200)
    settings = settings_for(proxy.endpoint)
    with LRSClient.from_settings(settings) as client:
        worker = OutboxWorker(outbox_engine, client, settings)
        worker.start()
        try:
            wait_until(lambda: len(proxy.accepted) >= 50, timeout=30, what="50 delivered")
            own_lrs.stop()
            before_restart = len(proxy.accepted)
            wait_until(lambda: 502 in proxy.posts, timeout=20, what="the worker to hit the gap")
            assert 0 < _pending(outbox_engine) < 200
            own_lrs.start()
            wait_until(lambda: _pending(outbox_engine) == 0, timeout=60, what="delivery")
        finally:
            worker.stop()
    _all_delivered(outbox_engine, 200)
    assert proxy.accepted_counts() == Counter(dict.fromkeys(ids, 1))
    after_restart = proxy.accepted[before_restart:]
    held = own_lrs.statement_ids()
    assert sorted(held) == sorted(after_restart)
    assert 0 < len(after_restart) < 200


def test_lrs_answering_500_and_timing_out(
    outbox_engine: Engine,
    lrs: LearningLockerLRS,
    make_proxy: Callable[..., FaultyProxy],
    settings_for: Callable[..., XapiSettings],
) -> None:
    proxy = make_proxy(lrs)
    registration, ids = _enqueue(outbox_engine, 60)
    proxy.fail_next(3, status=500)
    proxy.delay_next(2, seconds=4)  # read_timeout is 2 s: the LRS stores these, we time out
    proxy.fail_next(1, status=503)
    settings = settings_for(proxy.endpoint)
    with LRSClient.from_settings(settings) as client:
        worker = OutboxWorker(outbox_engine, client, settings)
        worker.start()
        try:
            wait_until(lambda: _pending(outbox_engine) == 0, timeout=60, what="delivery")
        finally:
            worker.stop()
    _all_delivered(outbox_engine, 60)
    held = lrs.statement_ids(registration=registration)
    assert sorted(held) == sorted(ids)  # each once: no id twice, none missing
    accepted = proxy.accepted_counts()
    assert set(accepted) == ids
    # The two timed-out batches were stored by the LRS and sent again: accepted twice.
    assert sorted(Counter(accepted.values()).items()) == [(1, 40), (2, 20)]
    assert proxy.posts[:3] == [500, 500, 500]
    # Six faults, six batches: each row failed once, then went through.
    with Session(outbox_engine) as session:
        attempts = Counter(session.scalars(select(OutboxEntry.attempts)))
    assert attempts == {2: 60}


@pytest.mark.parametrize(
    "database", ["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_worker_killed_mid_batch_and_restarted(
    database: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    lrs: LearningLockerLRS,
    make_proxy: Callable[..., FaultyProxy],
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        if database == "sqlite-file"
        else request.getfixturevalue("postgres_url")
    )
    engine = create_engine(url)
    OutboxBase.metadata.create_all(engine)
    proxy = make_proxy(lrs)
    registration, ids = _enqueue(engine, 30)
    settings = XapiSettings(
        database_url=url,
        lrs_endpoint=proxy.endpoint,
        batch_size=10,
        lease_seconds=3,
        backoff_base=0.05,
        backoff_cap=0.5,
        poll_interval=0.2,
        connect_timeout=1,
        read_timeout=5,
    )
    hold = proxy.hold_next()
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_worker(settings, first_log, "--worker-id", "first")
    try:
        assert hold.held.wait(30), first_log.read_text()
        # The LRS has stored the first batch; the worker has not read the answer. Kill it.
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        hold.release.set()
        if first.poll() is None:
            first.kill()
    killed_batch = set(proxy.accepted)
    assert len(killed_batch) == 10
    with Session(engine) as session:
        claimed = {
            row.id
            for row in session.scalars(
                select(OutboxEntry).where(
                    OutboxEntry.claimed_by == "first", OutboxEntry.status == "pending"
                )
            )
        }
    # The dead worker still holds the batch the LRS stored, and had claimed the next one
    # while the first was on the wire.
    assert killed_batch < claimed and len(claimed) == 20
    second = start_worker(settings, second_log, "--worker-id", "second")
    try:
        wait_until(lambda: _pending(engine) == 0, timeout=60, what="delivery after restart")
    finally:
        output = _stop(second, second_log)
    _all_delivered(engine, 30)
    assert "Traceback" not in output
    assert sorted(lrs.statement_ids(registration=registration)) == sorted(ids)
    accepted = proxy.accepted_counts()
    assert {sid for sid, n in accepted.items() if n == 2} == killed_batch
    assert {sid for sid, n in accepted.items() if n == 1} == ids - killed_batch
    engine.dispose()


@pytest.mark.postgres
def test_two_workers_on_postgresql_share_one_outbox(
    postgres_url: str,
    tmp_path: Path,
    lrs: LearningLockerLRS,
    make_proxy: Callable[..., FaultyProxy],
) -> None:
    engine = create_engine(postgres_url)
    OutboxBase.metadata.create_all(engine)
    proxy = make_proxy(lrs, latency=0.03)
    settings = XapiSettings(
        database_url=postgres_url,
        lrs_endpoint=proxy.endpoint,
        batch_size=10,
        lease_seconds=30,
        backoff_base=0.05,
        backoff_cap=0.5,
        poll_interval=0.2,
    )
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    workers = [start_worker(settings, log, "--worker-id", log.stem) for log in logs]
    try:
        wait_until(
            lambda: all("delivering to" in log.read_text() for log in logs),
            timeout=30,
            what="both workers",
        )
        registration, ids = _enqueue(engine, 400)
        wait_until(lambda: _pending(engine) == 0, timeout=90, what="delivery")
    finally:
        outputs = [_stop(worker, log) for worker, log in zip(workers, logs, strict=True)]
    _all_delivered(engine, 400)
    delivered = []
    for output in outputs:
        found = re.search(r"stopped: delivered (\d+), dead 0", output)
        assert found, output
        delivered.append(int(found.group(1)))
    assert all(count > 0 for count in delivered), delivered
    assert sum(delivered) == 400
    # No statement was ever sent twice: SKIP LOCKED kept the workers' claims apart.
    assert proxy.accepted_counts() == Counter(dict.fromkeys(ids, 1))
    assert sorted(lrs.statement_ids(registration=registration)) == sorted(ids)
    engine.dispose()
