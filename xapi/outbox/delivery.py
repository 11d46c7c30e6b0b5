"""Delivering claimed outbox rows to the LRS and recording what became of each."""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import Connection, Engine, Update, bindparam, update

from xapi.backoff import backoff_delay
from xapi.client import LRSClient, Outcome, Outgoing
from xapi.outbox.claim import ClaimedRow, claim_batch
from xapi.outbox.table import OutboxStatus, outbox_table
from xapi.settings import XapiSettings
from xapi.timeutil import utc_now

logger = logging.getLogger(__name__)

_t = outbox_table.c
_MISSING = Outcome("retry", "the LRS client returned no outcome for this statement")


@dataclass
class DeliveryReport:
    """Counts from one or more delivery rounds."""

    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    last_error: str | None = None

    def add(self, other: DeliveryReport) -> None:
        """Add another report's counts to this one."""
        self.claimed += other.claimed
        self.delivered += other.delivered
        self.retried += other.retried
        self.dead += other.dead
        self.last_error = other.last_error or self.last_error

    @property
    def lrs_failing(self) -> bool:
        """True when rows were tried and none got through: the LRS is down or refusing."""
        return self.claimed > 0 and self.retried == self.claimed


def default_worker_id() -> str:
    """Return a worker name unique to this process and instance (host, pid, random part)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid4().hex[:8]}"


class Deliverer:
    """Claims batches from the outbox, sends them, and records each statement's outcome.

    Args:
        engine: The database holding the outbox. The deliverer opens its own short
            transactions; it never holds one while talking to the LRS.
        client: The LRS to send to.
        settings: Batch size, lease and backoff.
        worker_id: This worker's unique name; generated when omitted.
        clock: Source of the current UTC time.
        rng: Source of jitter.
    """

    def __init__(
        self,
        engine: Engine,
        client: LRSClient,
        settings: XapiSettings,
        *,
        worker_id: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.client = client
        self.settings = settings
        self.worker_id = worker_id or default_worker_id()
        if len(self.worker_id) > 64:
            raise ValueError("a worker id has at most 64 characters (the claimed_by column)")
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security

    def drain(
        self, *, max_batches: int = 10_000, stop: threading.Event | None = None
    ) -> DeliveryReport:
        """Deliver batches until nothing is due, the LRS fails, or ``stop`` is set.

        One POST is in flight at a time, so the LRS sees batches in order over one connection.
        While it is on the wire, one short transaction records the previous batch's outcomes
        and claims the next batch. If the database fails mid-way, rows already claimed are
        re-sent once their lease lapses, and the LRS keeps one copy of each.

        Args:
            max_batches: Upper bound on batches in this call.
            stop: Checked before each new batch is claimed.

        Returns:
            The summed report.
        """
        total = DeliveryReport()
        with self.engine.begin() as connection:
            rows = self._claim(connection)
        if not rows:
            return total
        done: tuple[list[ClaimedRow], Mapping[str, Outcome]] | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="xapi-send") as sender:
            in_flight = sender.submit(self._send, rows)
            for sent in range(1, max_batches + 1):
                more = sent < max_batches and not (stop is not None and stop.is_set())
                with self.engine.begin() as connection:
                    if done is not None:
                        total.add(self._record(connection, *done))
                    upcoming = self._claim(connection) if more else []
                outcomes = in_flight.result()
                # An LRS that failed a whole batch will fail the next: stop and back off.
                if upcoming and all(o.kind == "retry" for o in outcomes.values()):
                    self._unclaim(upcoming)
                    upcoming = []
                if upcoming:
                    in_flight = sender.submit(self._send, upcoming)
                done = (rows, outcomes)
                if not upcoming:
                    break
                rows = upcoming
        if done is not None:
            with self.engine.begin() as connection:
                total.add(self._record(connection, *done))
        return total

    def _claim(self, connection: Connection) -> list[ClaimedRow]:
        return claim_batch(
            connection,
            worker_id=self.worker_id,
            limit=self.settings.batch_size,
            now=self._clock(),
            lease=timedelta(seconds=self.settings.lease_seconds),
        )

    def _send(self, rows: list[ClaimedRow]) -> Mapping[str, Outcome]:
        return self.client.send([Outgoing(row.id, row.payload) for row in rows])

    def _unclaim(self, rows: list[ClaimedRow]) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(outbox_table)
                .where(_t.id.in_([row.id for row in rows]), _t.claimed_by == self.worker_id)
                .values(claimed_by=None, claimed_until=None)
            )

    def _record(
        self, connection: Connection, rows: list[ClaimedRow], outcomes: Mapping[str, Outcome]
    ) -> DeliveryReport:
        now = self._clock()
        report = DeliveryReport(claimed=len(rows))
        delivered: list[str] = []
        retries: list[dict[str, object]] = []
        dead: list[dict[str, object]] = []
        for row in rows:
            outcome = outcomes.get(row.id, _MISSING)
            if outcome.kind == "delivered":
                delivered.append(row.id)
            elif outcome.kind == "dead":
                dead.append({"b_id": row.id, "b_error": outcome.reason})
                logger.warning("xAPI statement %s dead-lettered: %s", row.id, outcome.reason)
            else:
                retries.append(
                    {
                        "b_id": row.id,
                        "b_error": outcome.reason,
                        "b_next": now + self._retry_delay(row.attempts + 1, outcome),
                    }
                )
            report.last_error = outcome.reason or report.last_error
        report.delivered, report.retried, report.dead = len(delivered), len(retries), len(dead)
        if delivered:
            # Delivered is a fact from the LRS, so it is recorded even if our lease lapsed.
            connection.execute(
                update(outbox_table)
                .where(_t.id.in_(delivered), _t.status == OutboxStatus.PENDING.value)
                .values(
                    status=OutboxStatus.DELIVERED.value,
                    delivered_at=now,
                    attempts=_t.attempts + 1,
                    last_error=None,
                    claimed_by=None,
                    claimed_until=None,
                )
            )
        if retries:
            connection.execute(self._release(next_attempt_at=bindparam("b_next")), retries)
        if dead:
            connection.execute(self._release(status=OutboxStatus.DEAD.value), dead)
        if report.retried:
            logger.info(
                "%d xAPI statement(s) will be retried: %s", report.retried, report.last_error
            )
        return report

    def _release(self, **values: object) -> Update:
        # Only rows still held by this worker: if the lease lapsed and another worker took
        # a row over, its claim wins.
        return (
            update(outbox_table)
            .where(
                _t.id == bindparam("b_id"),
                _t.claimed_by == self.worker_id,
                _t.status == OutboxStatus.PENDING.value,
            )
            .values(
                attempts=_t.attempts + 1,
                last_error=bindparam("b_error"),
                claimed_by=None,
                claimed_until=None,
                **values,
            )
        )

    def _retry_delay(self, attempt: int, outcome: Outcome) -> timedelta:
        delay = backoff_delay(
            attempt, base=self.settings.backoff_base, cap=self.settings.backoff_cap, rng=self._rng
        )
        if outcome.retry_after is not None:
            delay = max(delay, min(outcome.retry_after, self.settings.backoff_cap))
        return timedelta(seconds=delay)
