"""Every statement the tool emits is accepted by the real LRS, and reads back intact."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tincan import RemoteLRS
from tincan.statement import Statement as TinCanStatement

from tests.xapi import samples, strategies
from tests.xapi.lrs_server import AUTH, LearningLockerLRS
from tests.xapi.oracle import ralph_validate
from xapi import statements
from xapi.client import LRSClient, Outgoing
from xapi.compare import same_content
from xapi.models import Statement

pytestmark = pytest.mark.lrs


@pytest.fixture(scope="module")
def client(lrs: LearningLockerLRS):
    with LRSClient(lrs.endpoint, username=AUTH[0], password=AUTH[1]) as lrs_client:
        yield lrs_client


def _deliver(client: LRSClient, statement: Statement) -> str | None:
    outcome = client.send([Outgoing(str(statement.id), statement.to_json_bytes())])
    return outcome[str(statement.id)].kind


@pytest.mark.parametrize("kind", list(samples.every_kind()))
def test_every_statement_kind_is_accepted_and_stored_as_sent(client: LRSClient, kind: str) -> None:
    statement = samples.every_kind()[kind]
    assert _deliver(client, statement) == "delivered"
    held = client.get_statement(str(statement.id))
    assert held is not None
    assert same_content(json.loads(statement.to_json_bytes()), held)
    ralph_validate(
        {key: value for key, value in held.items() if key not in {"stored", "authority", "version"}}
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_built_statement_is_accepted_by_the_real_lrs(client: LRSClient, data) -> None:
    registration = uuid4()
    scale = data.draw(strategies.scales())
    candidates = [
        statements.tool_launched(
            actor=data.draw(strategies.people),
            timestamp=data.draw(strategies.timestamps),
            launch_id=str(uuid4()),
            framework=data.draw(st.none() | strategies.frameworks),
            organisation=data.draw(strategies.organisations),
            disclosure=data.draw(strategies.disclosures),
        ),
        statements.competency_rated(
            actor=data.draw(strategies.people),
            timestamp=data.draw(strategies.timestamps),
            registration=registration,
            competency=data.draw(strategies.competencies),
            revision=1,
            level=data.draw(st.sampled_from(scale)),
            scale=scale,
            framework=data.draw(strategies.frameworks),
            group=data.draw(strategies.groups),
            evidence_note=data.draw(st.none() | strategies.text),
            disclosure=data.draw(strategies.disclosures),
        ),
        statements.training_completed(
            actor=data.draw(strategies.people),
            timestamp=data.draw(strategies.timestamps),
            record_id=str(uuid4()),
            training=data.draw(strategies.trainings),
            valid_until=data.draw(st.none() | strategies.timestamps | st.dates()),
            competencies=data.draw(
                st.lists(strategies.competencies, max_size=2, unique_by=lambda c: c.iri)
            ),
        ),
        statements.training_assigned(
            actor=data.draw(strategies.people),
            timestamp=data.draw(strategies.timestamps),
            assignment_id=str(uuid4()),
            training=data.draw(strategies.trainings),
            assigned_by=data.draw(strategies.people),
            due=data.draw(st.none() | st.dates()),
            disclosure=data.draw(strategies.disclosures),
        ),
    ]
    outcomes = client.send([Outgoing(str(s.id), s.to_json_bytes()) for s in candidates])
    assert {outcome.kind for outcome in outcomes.values()} == {"delivered"}, outcomes


def test_statements_read_back_with_tincan_parse_into_its_objects(
    client: LRSClient, lrs: LearningLockerLRS
) -> None:
    """Existing TinCanPython scripts can consume our data (tincan is a test-only check)."""
    registration = uuid4()
    sent = samples.every_kind(registration)
    ours = {str(s.id): s for s in sent.values() if s.context and s.context.registration}
    for statement in ours.values():
        assert _deliver(client, statement) == "delivered"

    remote = RemoteLRS(endpoint=lrs.endpoint, username=AUTH[0], password=AUTH[1])
    response = remote.query_statements({"registration": str(registration), "limit": 50})
    assert response.success, response.data
    parsed = response.content.statements
    assert {str(item.id) for item in parsed} == set(ours)
    for item in parsed:
        assert isinstance(item, TinCanStatement)
        mine = ours[str(item.id)]
        assert item.verb.id == mine.verb.id
        if mine.actor.mbox:  # the variant whose deployment opted in to e-mail
            assert item.actor.mbox == mine.actor.mbox
        else:
            assert item.actor.account.home_page == samples.ISSUER
            assert item.actor.account.name == samples.STAFF.sub
        assert item.object.id == mine.object.id
        assert str(item.context.registration) == str(registration)
        assert {a.id for a in item.context.context_activities.grouping} >= {samples.FRAMEWORK.iri}
