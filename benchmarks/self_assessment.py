"""Saving a complete targeted-group self-assessment, statements included, against bare inserts.

Run: .venv/bin python benchmarks/self_assessment.py [--repeat N] [--database-url URL]

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
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from frameworks import get_framework  # noqa: E402
from lti_tool import create_app  # noqa: E402
from lti_tool.delivery import journal  # noqa: E402
from lti_tool.extensions import db  # noqa: E402
from lti_tool.launch import Audience, LaunchContext, PersonInfo  # noqa: E402
from lti_tool.models import Person, Platform, Rating, StaffProfile, utcnow  # noqa: E402
from lti_tool.services import assessment  # noqa: E402
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
    journal().rated(db.session, launch, FRAMEWORK, cycle, [s.rating for s in saved], now)
    db.session.commit()
    return time.perf_counter() - started


def baselines(profile: StaffProfile) -> tuple[float, float]:
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
    payload = b'{"id":"x","actor":{},"verb":{},"object":{}}' * 40  # statement-sized bytes
    outbox = [
        {
            "id": str(uuid.uuid4()),
            "payload": payload,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for _ in ids
    ]
    for row in rows:
        row["cycle_id"] = cycle2.id
    started = time.perf_counter()
    db.session.execute(sa.insert(Rating), rows)
    db.session.execute(sa.insert(OutboxEntry.__table__), outbox)
    db.session.commit()
    return ratings_only, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"instance_path": Path(tmp), "database_url": url})
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            launch = _launch()
            profile = _profile()
            measured(profile, launch)  # warm-up
            ours, bare_ratings, bare_rows = [], [], []
            for _ in range(args.repeat):
                ours.append(measured(profile, launch))
                only, both = baselines(profile)
                bare_ratings.append(only)
                bare_rows.append(both)
            db.session.remove()
            db.engine.dispose()
    count = len(assessment.scope_for(FRAMEWORK, "targeted", False).competency_ids)
    median = statistics.median
    print(
        f"targeted group, {count} ratings and {count} statements, {args.repeat} runs, "
        f"{url.split(':')[0]}"
    )
    ms = {
        name: median(values) * 1000
        for name, values in (("ours", ours), ("rows", bare_rows), ("ratings", bare_ratings))
    }
    print(f"  ours (validate, save, build statements, enqueue, commit): {ms['ours']:.1f} ms")
    print(
        f"  bare insert of the same ratings and outbox rows: {ms['rows']:.1f} ms"
        f"  -> ratio {ms['ours'] / ms['rows']:.2f}"
    )
    print(
        f"  bare insert of the ratings alone: {ms['ratings']:.1f} ms"
        f"  -> ratio {ms['ours'] / ms['ratings']:.2f}"
    )


if __name__ == "__main__":
    main()
