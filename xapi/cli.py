"""The ``xapi`` command: inspect, export and deliver the outbox.

Configuration comes from the environment (see :class:`xapi.settings.XapiSettings`). Errors are
reported as one clear line and a non-zero exit status, never as a traceback.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import BinaryIO

import click
from sqlalchemy import Engine, create_engine, inspect, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from xapi.client import LRSClient
from xapi.errors import LRSError, SettingsError
from xapi.outbox import (
    Deliverer,
    OutboxStatus,
    OutboxWorker,
    export_statements,
    outbox_counts,
    retry_dead,
)
from xapi.outbox.table import outbox_table
from xapi.settings import XapiSettings


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Deliver the tool's xAPI statements to the LRS, and inspect the outbox."""
    try:
        ctx.obj = XapiSettings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--check-lrs", is_flag=True, help="Also ask the LRS whether it answers.")
@click.pass_obj
def status(settings: XapiSettings, check_lrs: bool) -> None:
    """Show how many statements are pending, delivered and dead."""
    with _engine(settings) as engine, _database_errors(settings), engine.connect() as conn:
        counts = outbox_counts(conn)
    age = counts.oldest_pending_age()
    click.echo(f"pending:   {counts.pending}")
    click.echo(f"delivered: {counts.delivered}")
    click.echo(f"dead:      {counts.dead}")
    click.echo(f"oldest pending: {_age(age) if age is not None else '-'}")
    click.echo(f"LRS: {settings.lrs_endpoint or 'not configured (statements stay in the outbox)'}")
    if check_lrs:
        with _client(settings) as client:
            try:
                versions = client.about().get("version")
            except LRSError as exc:
                raise click.ClickException(
                    f"the LRS at {settings.lrs_endpoint} failed: {exc}"
                ) from None
        click.echo(f"LRS answers; xAPI versions: {versions}")


@main.command("retry-dead")
@click.option(
    "--id",
    "ids",
    multiple=True,
    metavar="STATEMENT_ID",
    help="Only this statement (repeatable); all dead statements by default.",
)
@click.pass_obj
def retry_dead_command(settings: XapiSettings, ids: tuple[str, ...]) -> None:
    """Put dead statements back in the queue, due now."""
    with _engine(settings) as engine, _database_errors(settings), engine.begin() as conn:
        count = retry_dead(conn, ids=ids or None)
    click.echo(f"{count} dead statement(s) put back to pending")


@main.command()
@click.option(
    "--status",
    "status_",
    type=click.Choice([s.value for s in OutboxStatus]),
    help="Only statements in this state.",
)
@click.option(
    "--output",
    type=click.File("wb"),
    default="-",
    show_default=True,
    help="File to write; standard output by default.",
)
@click.pass_obj
def export(settings: XapiSettings, status_: str | None, output: BinaryIO) -> None:
    """Write the stored statements as JSON lines, oldest first, exactly as sent."""
    wanted = OutboxStatus(status_) if status_ else None
    with _engine(settings) as engine, _database_errors(settings), engine.connect() as conn:
        for payload in export_statements(conn, status=wanted):
            output.write(payload + b"\n")


@main.command()
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--worker-id", help="A unique name for this worker (default: host:pid:random).")
@click.pass_obj
def worker(settings: XapiSettings, once: bool, worker_id: str | None) -> None:
    """Deliver pending statements to the LRS, continuously or --once.

    Several workers may run together on PostgreSQL. On SQLite run one.
    """
    if not settings.lrs_configured:
        raise click.ClickException(
            "XAPI_LRS_ENDPOINT is not set: there is no LRS to deliver to;"
            " statements stay in the outbox (see `xapi export`)"
        )
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with _engine(settings) as engine, _client(settings) as client, _database_errors(settings):
        if once:
            report = Deliverer(engine, client, settings, worker_id=worker_id).drain()
            click.echo(
                f"delivered {report.delivered}, to retry {report.retried}, dead {report.dead}"
            )
            if report.retried:
                raise click.ClickException(
                    f"the LRS at {settings.lrs_endpoint} failed: {report.last_error}; "
                    f"{report.retried} statement(s) stay pending for a later retry"
                )
            return
        loop = OutboxWorker(engine, client, settings, worker_id=worker_id)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: loop.stop())
        click.echo(f"delivering to {settings.lrs_endpoint}; stop with Ctrl-C or SIGTERM", err=True)
        loop.run()
        totals = loop.totals
        click.echo(f"stopped: delivered {totals.delivered}, dead {totals.dead}", err=True)


@contextmanager
def _engine(settings: XapiSettings) -> Iterator[Engine]:
    shown = _masked(settings.database_url)
    try:
        engine = create_engine(settings.database_url)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise click.ClickException(
            f"DATABASE_URL is not a usable database URL ({shown}): {exc}"
        ) from None
    try:
        try:
            present = inspect(engine).has_table(outbox_table.name)
        except SQLAlchemyError as exc:
            raise click.ClickException(
                f"cannot open the database {shown}: {_first_line(exc)}"
            ) from None
        if not present:
            raise click.ClickException(
                f"the database {shown} has no {outbox_table.name} table; run the app's "
                "migrations first (flask db upgrade)"
            )
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _client(settings: XapiSettings) -> Iterator[LRSClient]:
    client = LRSClient.from_settings(settings)
    if client is None:
        raise click.ClickException("XAPI_LRS_ENDPOINT is not set")
    with client:
        yield client


@contextmanager
def _database_errors(settings: XapiSettings) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"database error on {_masked(settings.database_url)}: {_first_line(exc)}"
        ) from None


def _masked(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return repr(url)


def _first_line(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__


def _age(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172_800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86_400} days"


if __name__ == "__main__":
    main()
