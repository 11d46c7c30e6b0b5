"""The outbox on SQLite and PostgreSQL: enqueue in the caller's transaction, claim, deliver."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from tests.xapi import samples
from tests.xapi.lrs_server import LearningLockerLRS
from xapi.client import LRSClient
from xapi.outbox import (
    Deliverer,
    OutboxEntry,
    OutboxStatus,
    claim_batch,
    enqueue,
    enqueue_many,
    export_statements,
    outbox_counts,
    retry_dead,
)
from xapi.outbox.table import outbox_table
from xapi.settings import XapiSettings
from xapi.timeutil import as_utc, utc_now


def _rows(engine: Engine) -> dict[str, OutboxEntry]:
    with Session(engine) as session:
        return {row.id: row for row in session.scalars(select(OutboxEntry))}


def _enqueue_all(engine: Engine, statements: list) -> None:
    with Session(engine) as session:
        for statement in statements:
            enqueue(session, statement)
        session.commit()


def test_enqueue_commits_with_the_callers_change(outbox_engine: Engine) -> None:
    statement = samples.rating(uuid4())
    with Session(outbox_engine) as session:
        assert enqueue(session, statement) is True
        assert session.scalar(select(func.count()).select_from(outbox_table)) == 1
        session.commit()
    row = _rows(outbox_engine)[str(statement.id)]
    assert row.payload == statement.to_json_bytes()
    assert (row.status, row.attempts, row.claimed_by) == ("pending", 0, None)
    assert as_utc(row.next_attempt_at) == as_utc(row.created_at)


def test_enqueue_rolls_back_with_the_callers_change(outbox_engine: Engine) -> None:
    with Session(outbox_engine) as session:
        enqueue(session, samples.rating(uuid4()))
        session.rollback()
    assert _rows(outbox_engine) == {}


def test_enqueueing_the_same_statement_twice_is_harmless(outbox_engine: Engine) -> None:
    statement = samples.rating(uuid4())
    with Session(outbox_engine) as session:
        assert enqueue(session, statement) is True
        assert enqueue(session, statement) is False
        session.commit()
    with Session(outbox_engine) as session:  # a retried request, in a later transaction
        assert enqueue(session, statement) is False
        session.commit()
    assert list(_rows(outbox_engine)) == [str(statement.id)]


def test_enqueue_many_adds_new_rows_in_one_insert_and_keeps_existing(
    outbox_engine: Engine,
) -> None:
    registration = uuid4()
    first, second, third = (samples.rating(registration, index) for index in (0, 1, 2))
    with Session(outbox_engine) as session:
        assert enqueue(session, first) is True
        assert enqueue_many(session, [first, second, third]) == 2
        assert enqueue_many(session, []) == 0
        session.commit()
    assert sorted(_rows(outbox_engine)) == sorted(str(s.id) for s in (first, second, third))


def test_an_id_enqueued_again_with_other_content_keeps_the_first_and_says_so(
    outbox_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    first = samples.rating(uuid4())
    same_id_other_content = first.model_copy(update={"timestamp": first.timestamp + timedelta(1)})
    with Session(outbox_engine) as session:
        enqueue(session, first)
        session.commit()
    with Session(outbox_engine) as session, caplog.at_level("WARNING", logger="xapi"):
        assert enqueue_many(session, [first, samples.rating(uuid4())]) == 1
        assert "different content" not in caplog.text  # the same statement again is quiet
        assert enqueue(session, same_id_other_content) is False
        session.commit()
    assert f"statement {first.id} enqueued again with different content" in caplog.text
    assert _rows(outbox_engine)[str(first.id)].payload == first.to_json_bytes()


def test_on_commit_runs_after_commit_only(outbox_engine: Engine) -> None:
    calls: list[str] = []
    with Session(outbox_engine) as session:
        enqueue(session, samples.rating(uuid4()), on_commit=lambda: calls.append("rolled"))
        session.rollback()
        session.commit()
        enqueue(session, samples.rating(uuid4()), on_commit=lambda: calls.append("one"))
        assert calls == []
        session.commit()
    assert calls == ["one"]


def test_on_commit_works_on_a_session_subclass(outbox_engine: Engine) -> None:
    """Flask-SQLAlchemy's db.session is a Session subclass."""

    class AppSession(Session):
        pass

    calls: list[int] = []
    with AppSession(outbox_engine) as session:
        enqueue(session, samples.rating(uuid4()), on_commit=lambda: calls.append(1))
        session.commit()
    assert calls == [1]


def test_claims_do_not_overlap_and_lapse_after_the_lease(outbox_engine: Engine) -> None:
    _enqueue_all(outbox_engine, samples.ratings(5))
    now = utc_now() + timedelta(seconds=1)
    lease = timedelta(seconds=30)
    with outbox_engine.begin() as conn:
        first = claim_batch(conn, worker_id="a", limit=3, now=now, lease=lease)
    with outbox_engine.begin() as conn:
        second = claim_batch(conn, worker_id="b", limit=3, now=now, lease=lease)
    with outbox_engine.begin() as conn:
        none_left = claim_batch(conn, worker_id="c", limit=3, now=now, lease=lease)
    assert (len(first), len(second), none_left) == (3, 2, [])
    assert not {row.id for row in first} & {row.id for row in second}
    assert [row.created_at for row in first] == sorted(row.created_at for row in first)
    with outbox_engine.begin() as conn:
        taken_over = claim_batch(conn, worker_id="c", limit=10, now=now + lease, lease=lease)
    assert {row.id for row in taken_over} == {row.id for row in first + second}


def test_rows_not_yet_due_are_not_claimed(outbox_engine: Engine) -> None:
    _enqueue_all(outbox_engine, samples.ratings(2))
    with outbox_engine.begin() as conn:
        conn.execute(update(outbox_table).values(next_attempt_at=utc_now() + timedelta(hours=1)))
        assert (
            claim_batch(conn, worker_id="a", limit=5, now=utc_now(), lease=timedelta(seconds=5))
            == []
        )


@pytest.mark.lrs
def test_delivery_sends_every_statement_once_in_batches(
    outbox_engine: Engine, lrs: LearningLockerLRS, settings_for: Callable[..., XapiSettings]
) -> None:
    registration = uuid4()
    statements = samples.ratings(35, registration)
    _enqueue_all(outbox_engine, statements)
    settings = settings_for(lrs.endpoint, batch_size=10)
    with LRSClient.from_settings(settings) as client:
        report = Deliverer(outbox_engine, client, settings).drain()
    assert (report.claimed, report.delivered, report.retried, report.dead) == (35, 35, 0, 0)
    rows = _rows(outbox_engine).values()
    assert {row.status for row in rows} == {"delivered"}
    assert all(row.delivered_at is not None and row.claimed_by is None for row in rows)
    assert sorted(lrs.statement_ids(registration=str(registration))) == sorted(
        str(s.id) for s in statements
    )


@pytest.mark.lrs
def test_a_rejected_statement_is_dead_lettered_and_the_rest_flow(
    outbox_engine: Engine, lrs: LearningLockerLRS, settings_for: Callable[..., XapiSettings]
) -> None:
    registration = uuid4()
    good = samples.ratings(12, registration)
    bad = json.loads(samples.rating(uuid4(), 0).to_json_bytes())
    bad["verb"]["id"] = "answered"  # written by an older release, say; the LRS refuses it
    _enqueue_all(outbox_engine, good[:6])
    with outbox_engine.begin() as conn:
        conn.execute(
            outbox_table.insert().values(
                id=bad["id"],
                payload=json.dumps(bad).encode(),
                status="pending",
                attempts=0,
                next_attempt_at=utc_now(),
                created_at=utc_now(),
            )
        )
    _enqueue_all(outbox_engine, good[6:])
    settings = settings_for(lrs.endpoint, batch_size=5)
    with LRSClient.from_settings(settings) as client:
        report = Deliverer(outbox_engine, client, settings).drain()
    assert (report.delivered, report.dead, report.retried) == (12, 1, 0)
    dead = _rows(outbox_engine)[bad["id"]]
    assert dead.status == "dead" and dead.attempts == 1
    assert dead.last_error.startswith("HTTP 400: ") and "verb.id" in dead.last_error
    assert sorted(lrs.statement_ids(registration=str(registration))) == sorted(
        str(s.id) for s in good
    )


@pytest.mark.lrs
def test_without_an_lrs_statements_stay_pending_then_go_when_one_is_configured(
    outbox_engine: Engine, lrs: LearningLockerLRS, settings_for: Callable[..., XapiSettings]
) -> None:
    registration = uuid4()
    statements = samples.ratings(7, registration)
    _enqueue_all(outbox_engine, statements)
    local = settings_for(None)
    assert LRSClient.from_settings(local) is None
    with outbox_engine.connect() as conn:
        assert outbox_counts(conn).pending == 7
        exported = list(export_statements(conn, status=OutboxStatus.PENDING))
    assert exported == [s.to_json_bytes() for s in statements]

    configured = settings_for(lrs.endpoint)
    with LRSClient.from_settings(configured) as client:
        Deliverer(outbox_engine, client, configured).drain()
    with outbox_engine.connect() as conn:
        counts = outbox_counts(conn)
    assert (counts.pending, counts.delivered) == (0, 7)
    assert len(lrs.statement_ids(registration=str(registration))) == 7


@pytest.mark.lrs
def test_a_failing_lrs_reschedules_with_backoff_and_keeps_the_reason(
    outbox_engine: Engine,
    lrs: LearningLockerLRS,
    make_proxy,
    settings_for: Callable[..., XapiSettings],
) -> None:
    proxy = make_proxy(lrs)
    _enqueue_all(outbox_engine, samples.ratings(3))
    proxy.fail_next(1, status=503)
    settings = settings_for(proxy.endpoint, backoff_base=30, backoff_cap=60)
    before = utc_now()
    with LRSClient.from_settings(settings) as client:
        deliverer = Deliverer(outbox_engine, client, settings)
        report = deliverer.drain()
        assert (report.retried, report.delivered) == (3, 0) and report.lrs_failing
        for row in _rows(outbox_engine).values():
            assert (row.status, row.attempts, row.claimed_by) == ("pending", 1, None)
            assert row.last_error == "HTTP 503: injected fault"
            assert before <= as_utc(row.next_attempt_at) <= utc_now() + timedelta(seconds=30)
        with outbox_engine.begin() as conn:
            conn.execute(update(outbox_table).values(next_attempt_at=utc_now()))
        assert deliverer.drain().delivered == 3


@pytest.mark.lrs
def test_drain_releases_the_batch_it_claimed_ahead_when_the_lrs_fails(
    outbox_engine: Engine,
    lrs: LearningLockerLRS,
    make_proxy,
    settings_for: Callable[..., XapiSettings],
) -> None:
    proxy = make_proxy(lrs)
    _enqueue_all(outbox_engine, samples.ratings(30))
    proxy.pass_next(1)
    proxy.fail_next(1, status=503)
    settings = settings_for(proxy.endpoint, batch_size=10)
    with LRSClient.from_settings(settings) as client:
        report = Deliverer(outbox_engine, client, settings).drain()
    assert (report.claimed, report.delivered, report.retried) == (20, 10, 10)
    rows = _rows(outbox_engine).values()
    assert sorted(row.status for row in rows) == ["delivered"] * 10 + ["pending"] * 20
    assert {row.claimed_by for row in rows} == {None}
    assert sorted(row.attempts for row in rows) == [0] * 10 + [1] * 20
    assert proxy.posts == [200, 503]


def test_status_counts_and_oldest_pending_age(outbox_engine: Engine) -> None:
    old = utc_now() - timedelta(hours=2)
    with Session(outbox_engine) as session:
        enqueue(session, samples.rating(uuid4()), now=old)
        enqueue(session, samples.rating(uuid4()))
        enqueue(session, samples.rating(uuid4()))
        session.commit()
    ids = list(_rows(outbox_engine))
    with outbox_engine.begin() as conn:
        conn.execute(
            update(outbox_table)
            .where(outbox_table.c.id == ids[1])
            .values(status="dead", last_error="HTTP 400: no")
        )
        conn.execute(
            update(outbox_table).where(outbox_table.c.id == ids[2]).values(status="delivered")
        )
        counts = outbox_counts(conn)
    assert (counts.pending, counts.delivered, counts.dead) == (1, 1, 1)
    assert timedelta(hours=2) <= counts.oldest_pending_age() < timedelta(hours=2, minutes=1)


def test_retry_dead_puts_dead_statements_back_due_now(outbox_engine: Engine) -> None:
    _enqueue_all(outbox_engine, samples.ratings(3))
    ids = sorted(_rows(outbox_engine))
    with outbox_engine.begin() as conn:
        conn.execute(
            update(outbox_table).values(
                status="dead",
                last_error="HTTP 400: no",
                next_attempt_at=utc_now() + timedelta(days=1),
            )
        )
    with outbox_engine.begin() as conn:
        assert retry_dead(conn, ids=[ids[0]]) == 1
        assert retry_dead(conn) == 2
        assert retry_dead(conn) == 0
    rows = _rows(outbox_engine)
    assert {row.status for row in rows.values()} == {"pending"}
    assert all(as_utc(row.next_attempt_at) <= utc_now() for row in rows.values())


def test_export_filters_by_status_and_keeps_the_exact_bytes(outbox_engine: Engine) -> None:
    statements = samples.ratings(4)
    _enqueue_all(outbox_engine, statements)
    with outbox_engine.begin() as conn:
        conn.execute(
            update(outbox_table)
            .where(outbox_table.c.id == str(statements[0].id))
            .values(status="delivered")
        )
    with outbox_engine.connect() as conn:
        assert list(export_statements(conn)) == [s.to_json_bytes() for s in statements]
        assert list(export_statements(conn, status=OutboxStatus.DELIVERED)) == [
            statements[0].to_json_bytes()
        ]
        assert len(list(export_statements(conn, status=OutboxStatus.PENDING))) == 3
