"""The delivery loop: a background thread in the web process, or ``xapi worker`` processes."""

from __future__ import annotations

import logging
import random
import threading
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from xapi.backoff import backoff_delay
from xapi.client import LRSClient
from xapi.outbox.claim import next_claimable_at
from xapi.outbox.delivery import Deliverer, DeliveryReport
from xapi.settings import XapiSettings
from xapi.timeutil import utc_now

logger = logging.getLogger(__name__)

_MIN_WAIT = 0.05


class OutboxWorker:
    """Delivers the outbox continuously until stopped.

    It drains everything due, then sleeps until the next row falls due, the poll interval
    passes, or :meth:`wake` is called (e.g. straight after a commit that enqueued statements).
    While the LRS is failing it backs off with full jitter instead of polling. With no LRS
    configured (``client`` None) it does nothing and statements stay in the outbox.

    Args:
        engine: The database holding the outbox.
        client: The LRS client, or None when no LRS is configured.
        settings: Batch size, poll interval, lease and backoff.
        worker_id: A unique name for this worker; generated when omitted.
    """

    def __init__(
        self,
        engine: Engine,
        client: LRSClient | None,
        settings: XapiSettings,
        *,
        worker_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.deliverer = (
            Deliverer(engine, client, settings, worker_id=worker_id) if client is not None else None
        )
        self.totals = DeliveryReport()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rng = random.Random()  # noqa: S311 - jitter, not security

    @property
    def running(self) -> bool:
        """True while the background thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the background thread (a daemon); calling it again while running is a no-op."""
        if self.deliverer is None:
            logger.info("no LRS configured (XAPI_LRS_ENDPOINT): xAPI statements stay in the outbox")
            return
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="xapi-outbox-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the loop to finish its current batch and stop, and wait for the thread.

        Args:
            timeout: Seconds to wait for the thread to end.
        """
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                logger.warning("xAPI outbox worker did not stop within %.0f s", timeout)
            else:
                self._thread = None

    def wake(self) -> None:
        """Start a delivery round now instead of at the next poll."""
        self._wake.set()

    def run(self) -> None:
        """Run the delivery loop in the calling thread until :meth:`stop` is called."""
        if self.deliverer is None:
            return
        failures = 0
        while not self._stop.is_set():
            self._wake.clear()
            try:
                report = self.deliverer.drain(stop=self._stop)
                self.totals.add(report)
                failures = failures + 1 if report.lrs_failing else 0
            except SQLAlchemyError as exc:  # the loop must outlive a database outage
                logger.error(
                    "xAPI outbox delivery round failed (database): %s", str(exc).splitlines()[0]
                )
                failures += 1
            except Exception:  # a bug: keep delivering what can be delivered, but show it
                logger.exception("xAPI outbox delivery round failed")
                failures += 1
            if not self._stop.is_set():
                self._wake.wait(self._pause(failures))

    def _pause(self, failures: int) -> float:
        if failures:
            return max(
                _MIN_WAIT,
                backoff_delay(
                    failures,
                    base=self.settings.backoff_base,
                    cap=self.settings.poll_interval,
                    rng=self._rng,
                ),
            )
        try:
            with self.engine.connect() as connection:
                ready = next_claimable_at(connection)
        except SQLAlchemyError as exc:
            logger.error(
                "could not read the xAPI outbox's next due time: %s", str(exc).splitlines()[0]
            )
            return self.settings.poll_interval
        if ready is None:
            return self.settings.poll_interval
        wait = (ready - utc_now()) / timedelta(seconds=1)
        return min(self.settings.poll_interval, max(_MIN_WAIT, wait))
