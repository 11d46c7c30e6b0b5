"""xAPI outbox delivery rate against the real LRS, and the cost of enqueueing in a transaction.

Run: .venv/bin/python benchmarks/xapi_delivery.py [--statements N] [--batch-size B] [--rounds R]

Delivery: the same real LRS the tests use (Learning Locker's xapi-statements, in memory) is
started here through the tests' launcher. Per database engine, each round times
(a) ``Deliverer.drain()`` of N freshly enqueued statements (claim, POST, record, per batch) and
(b) POSTing batches of N other statements of the same shape straight to the LRS with one
``httpx.Client`` and the same headers. Both legs send distinct statements (the LRS would
short-cut a duplicate), alternate, and each starts on a freshly restarted, warmed LRS (the
in-memory store slows as it fills). The best round of each is compared: outbox rate ÷ direct
rate, goal ≥ 0.8; so is the median of the per-round ratios (each round's two legs run back to
back, which cancels most of the noise from other load on the machine).

Enqueue: per statement, one transaction holding a statement, as a web request would:
``enqueue(session, statement)`` + commit (serialise, ``INSERT … ON CONFLICT DO NOTHING
RETURNING``) against a bare ``INSERT`` of an equivalent row with ready bytes + commit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from uuid import uuid4

import httpx
from sqlalchemy import Engine, create_engine, insert
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import postgres  # noqa: E402
from tests.xapi import samples  # noqa: E402
from tests.xapi.lrs_server import AUTH, LearningLockerLRS, unavailable_reason  # noqa: E402
from xapi.client import LRSClient  # noqa: E402
from xapi.models import Statement  # noqa: E402
from xapi.outbox import Deliverer, OutboxBase, enqueue  # noqa: E402
from xapi.outbox.table import outbox_table  # noqa: E402
from xapi.settings import XapiSettings  # noqa: E402
from xapi.timeutil import utc_now  # noqa: E402


def statements(count: int) -> list[Statement]:
    """``count`` distinct ratings (fresh registration), the commonest statement the tool emits."""
    return samples.ratings(count, uuid4())


def fresh_engine(kind: str, workdir: Path) -> Engine:
    """An empty outbox on SQLite (a new file) or PostgreSQL (the run's scratch database)."""
    url = f"sqlite:///{workdir / f'bench-{uuid4().hex[:8]}.sqlite3'}" if kind == "sqlite" else kind
    engine = create_engine(url)
    OutboxBase.metadata.drop_all(engine)
    OutboxBase.metadata.create_all(engine)
    return engine


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def outbox_leg(engine: Engine, settings: XapiSettings, count: int) -> float:
    """Seconds for the outbox to deliver ``count`` statements already committed to it."""
    with Session(engine) as session:
        for statement in statements(count):
            enqueue(session, statement)
        session.commit()
    with LRSClient.from_settings(settings) as client:
        deliverer = Deliverer(engine, client, settings)
        seconds = timed(deliverer.drain)
    with engine.connect() as conn:
        pending = conn.execute(
            outbox_table.select().where(outbox_table.c.status != "delivered")
        ).first()
    assert pending is None, "the outbox did not deliver everything"
    return seconds


def direct_leg(endpoint: str, batch_size: int, count: int) -> float:
    """Seconds to POST ``count`` statements in batches with a bare httpx client."""
    payloads = [s.to_json_bytes() for s in statements(count)]
    batches = [
        b"[" + b",".join(payloads[i : i + batch_size]) + b"]" for i in range(0, count, batch_size)
    ]
    with httpx.Client(
        auth=AUTH, headers={"X-Experience-API-Version": "1.0.3"}, timeout=30
    ) as client:

        def post_all() -> None:
            for body in batches:
                client.post(
                    f"{endpoint}statements",
                    content=body,
                    headers={"Content-Type": "application/json"},
                ).raise_for_status()

        return timed(post_all)


def delivery(
    kind: str, lrs: LearningLockerLRS, workdir: Path, count: int, batch_size: int, rounds: int
) -> None:
    settings = XapiSettings(
        lrs_endpoint=lrs.endpoint, lrs_username=AUTH[0], lrs_password=AUTH[1], batch_size=batch_size
    )
    times: dict[str, list[float]] = {"outbox": [], "direct": []}
    for round_number in range(rounds):
        legs = ["direct", "outbox"] if round_number % 2 == 0 else ["outbox", "direct"]
        for leg in legs:
            # The in-memory LRS slows as it fills, so every leg starts from an empty, warmed one.
            lrs.restart()
            direct_leg(lrs.endpoint, batch_size, 500)
            if leg == "direct":
                times[leg].append(direct_leg(lrs.endpoint, batch_size, count))
            else:
                engine = fresh_engine(kind, workdir)
                times[leg].append(outbox_leg(engine, settings, count))
                engine.dispose()
    outbox_rate = count / min(times["outbox"])
    direct_rate = count / min(times["direct"])
    # Legs of one round ran back to back, so their ratio is least disturbed by other load.
    paired = statistics.median(d / o for o, d in zip(times["outbox"], times["direct"], strict=True))
    print(f"  delivery ({count} statements, batches of {batch_size}, {rounds} rounds):")
    for leg, rate in (("outbox", outbox_rate), ("direct", direct_rate)):
        rounds_text = ", ".join(f"{count / t:.0f}" for t in times[leg])
        print(f"    {leg:7} best {rate:6.0f} statements/s  (rounds: {rounds_text})")
    print(
        f"    ratio outbox/direct: best/best {outbox_rate / direct_rate:.2f}, "
        f"median of rounds {paired:.2f}  (goal >= 0.80)"
    )


def enqueue_cost(kind: str, workdir: Path, count: int) -> None:
    engine = fresh_engine(kind, workdir)
    sample = statements(count * 2)
    with_enqueue, bare = [], []

    def enqueue_one(statement: Statement) -> None:
        with Session(engine) as session:
            enqueue(session, statement)
            session.commit()

    def insert_one(statement: Statement, payload: bytes) -> None:
        now = utc_now()
        with Session(engine) as session:
            session.execute(
                insert(outbox_table).values(
                    id=str(statement.id),
                    payload=payload,
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            session.commit()

    ready = [s.to_json_bytes() for s in sample[count:]]
    for index in range(count):  # interleaved, so drift in the database hits both alike
        with_enqueue.append(timed(lambda s=sample[index]: enqueue_one(s)))
        bare.append(timed(lambda s=sample[count + index], p=ready[index]: insert_one(s, p)))
    serialise = statistics.median(timed(s.to_json_bytes) for s in sample[:count])
    engine.dispose()
    median_enqueue, median_bare = statistics.median(with_enqueue), statistics.median(bare)
    print(f"  enqueue in a transaction ({count} transactions, medians):")
    print(f"    enqueue + commit     {median_enqueue * 1e6:8.0f} µs")
    print(f"    bare insert + commit {median_bare * 1e6:8.0f} µs")
    print(f"    of which serialising {serialise * 1e6:8.0f} µs")
    print(f"    ratio enqueue/bare = {median_enqueue / median_bare:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--enqueues", type=int, default=1000)
    args = parser.parse_args()
    reason = unavailable_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    pg_reason = postgres.unreachable_reason()
    if pg_reason:
        print(f"(PostgreSQL skipped: {pg_reason})")
    with tempfile.TemporaryDirectory() as tmp, LearningLockerLRS() as lrs, ExitStack() as stack:
        print(f"LRS: xapi-statements 5.0.1 at {lrs.endpoint}")
        engines = {"sqlite": "sqlite"}
        if not pg_reason:
            engines["postgresql"] = stack.enter_context(postgres.temporary_database())
        for name, kind in engines.items():
            print(f"{name}:")
            delivery(kind, lrs, Path(tmp), args.statements, args.batch_size, args.rounds)
            enqueue_cost(kind, Path(tmp), args.enqueues)
    return 0


if __name__ == "__main__":
    sys.exit(main())
