"""Saving a complete targeted-group self-assessment, statements included, against bare inserts.

Run: .venv/bin/python benchmarks/self_assessment.py [--repeat N]

Runs on SQLite, then on a throw-away PostgreSQL database when a server is reachable.

Measured path, in one transaction per assessment: validate and save each rating through the
assessment service, build its xAPI statement and enqueue it in the outbox, then commit.

Baselines, in the same run and database:
- ratings only: a bare multi-row INSERT of the same rating rows, then commit;
- same rows: a bare INSERT of the same rating rows and the same outbox rows (the statement
  bytes computed beforehand), then commit — the same data written with no work around it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from frameworks import get_framework  # noqa: E402
from lti_tool import create_app  # noqa: E402
from lti_tool.delivery import journal  # noqa: E402
from lti_tool.extensions import db  # noqa: E402
from lti_tool.launch import Audience, LaunchContext, PersonInfo  # noqa: E402
from lti_tool.models import (  # noqa: E402
    AssessmentCycle,
    Person,
    Platform,
    Rating,
    StaffProfile,
    utcnow,
)
from lti_tool.services import assessment  # noqa: E402
from tests.support import postgres  # noqa: E402
from xapi.models import Statement  # noqa: E402
from xapi.outbox import OutboxEntry  # noqa: E402

FRAMEWORK = get_framework("primary")
LEVELS = FRAMEWORK.scale.level_ids


def _launch() -> LaunchContext:
    person = PersonInfo(issuer="https://lms.example.org", subject="bench", name="Bench Mark")
    return LaunchContext(
        launch_id="bench",
        kind="resource",
        issuer=person.issuer,
        client_id="c",
        deployment_id="1",
        person=person,
        context=None,
        resource_link_id=None,
        resource_link_title="",
        roles=(),
        audience=Audience.STAFF,
    )


def _profile() -> StaffProfile:
    platform = Platform(
        issuer="https://lms.example.org",
        client_id=uuid.uuid4().hex,
        auth_login_url="https://x/a",
        auth_token_url="https://x/t",  # noqa: S106  (a URL, not a password)
        key_set_url="https://x/k",
    )
    person = Person(platform=platform, subject=uuid.uuid4().hex)
    profile = StaffProfile(
        person=person,
        framework_id=FRAMEWORK.id,
        roles=["senco"],
        group="targeted",
        suggested_group="targeted",
    )
    db.session.add(profile)
    db.session.commit()
    return profile


def measured(profile: StaffProfile, launch: LaunchContext) -> float:
    cycle = assessment.start_cycle(db.session, profile, FRAMEWORK, "")
    db.session.commit()
    scope = assessment.scope_of_cycle(FRAMEWORK, cycle)
    started = time.perf_counter()
    now = utcnow()
    answers = {
        cid: (LEVELS[i % len(LEVELS)], None, None) for i, cid in enumerate(scope.competency_ids)
    }
    saved = assessment.save_ratings(db.session, cycle, scope, answers)
    journal().rated(db.session, launch, FRAMEWORK, cycle, saved, now)
    db.session.commit()
    return time.perf_counter() - started


def baselines(profile: StaffProfile, launch: LaunchContext) -> tuple[float, float]:
    cycle = assessment.start_cycle(db.session, profile, FRAMEWORK, "")
    db.session.commit()
    ids = assessment.scope_of_cycle(FRAMEWORK, cycle).competency_ids
    now = utcnow()
    rows = [
        {
            "cycle_id": cycle.id,
            "competency_id": cid,
            "rating": LEVELS[i % len(LEVELS)],
            "evidence_note": "",
            "private_note": "",
            "revision": 1,
            "updated_at": now,
        }
        for i, cid in enumerate(ids)
    ]
    started = time.perf_counter()
    db.session.execute(sa.insert(Rating), rows)
    db.session.commit()
    ratings_only = time.perf_counter() - started

    cycle2 = assessment.start_cycle(db.session, profile, FRAMEWORK, "")
    db.session.commit()
    for row in rows:
        row["cycle_id"] = cycle2.id
    outbox = [
        {
            "id": str(statement.id),
            "payload": statement.to_json_bytes(),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for statement in _statements_of(cycle2, rows, launch)
    ]
    started = time.perf_counter()
    db.session.execute(sa.insert(Rating), rows)
    db.session.execute(sa.insert(OutboxEntry.__table__), outbox)
    db.session.commit()
    return ratings_only, time.perf_counter() - started


def _statements_of(
    cycle: AssessmentCycle, rows: list[dict[str, Any]], launch: LaunchContext
) -> list[Statement]:
    """The statements the measured path would enqueue for these rows, built untimed."""
    answers = [
        assessment.SavedRating(row["competency_id"], row["rating"], "", "", 1, True, True)
        for row in rows
    ]
    return journal().rating_statements(launch, FRAMEWORK, cycle, answers, utcnow())


def run(url: str, instance: Path, repeat: int) -> dict[str, float]:
    """Median milliseconds of the measured path and both baselines on one database."""
    app = create_app({"instance_path": instance, "database_url": url})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        launch = _launch()
        profile = _profile()
        measured(profile, launch)  # warm-up
        ours, bare_ratings, bare_rows = [], [], []
        for _ in range(repeat):
            ours.append(measured(profile, launch))
            only, both = baselines(profile, launch)
            bare_ratings.append(only)
            bare_rows.append(both)
        db.session.remove()
        db.engine.dispose()
    return {
        name: statistics.median(values) * 1000
        for name, values in (("ours", ours), ("rows", bare_rows), ("ratings", bare_ratings))
    }


def report(name: str, ms: dict[str, float]) -> None:
    """Print one database's figures and ratios."""
    print(f"{name}:")
    print(f"  ours (validate, save, build statements, enqueue, commit): {ms['ours']:.1f} ms")
    print(
        f"  bare insert of the same ratings and outbox rows: {ms['rows']:.1f} ms"
        f"  -> ratio {ms['ours'] / ms['rows']:.2f}  (goal <= 3)"
    )
    print(
        f"  bare insert of the ratings alone: {ms['ratings']:.1f} ms"
        f"  -> ratio {ms['ours'] / ms['ratings']:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    count = len(assessment.scope_for(FRAMEWORK, "targeted", False).competency_ids)
    print(f"targeted group, {count} ratings and {count} statements, median of {args.repeat} runs")
    pg_reason = postgres.unreachable_reason()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        urls = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        if pg_reason:
            print(f"(PostgreSQL skipped: {pg_reason})")
        else:
            urls["postgresql"] = stack.enter_context(postgres.temporary_database())
        for name, url in urls.items():
            report(name, run(url, Path(tmp), args.repeat))


if __name__ == "__main__":
    main()
