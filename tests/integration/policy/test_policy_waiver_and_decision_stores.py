"""Waiver and decision stores: the in-memory fake and DynamoDB (on moto) honour one contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.aws import AwsClients
from agentic_common.settings import CommonSettings
from agentic_policy.adapters.dynamodb.stores import DynamoDBDecisionStore, DynamoDBWaiverStore
from agentic_policy.adapters.memory.stores import InMemoryDecisionStore, InMemoryWaiverStore
from agentic_policy.logic.decisions import DecisionRecord
from agentic_policy.logic.waivers import WaiverRequest, approved, new_waiver
from agentic_policy.ports import DecisionStore, WaiverStore

from tests.helpers import counted_client

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "dynamodb"])
def stores(
    request: pytest.FixtureRequest,
    aws_settings: CommonSettings,
    aws_clients: AwsClients,
    queue_urls: dict[str, str],
) -> tuple[WaiverStore, DecisionStore]:
    if request.param == "memory":
        return InMemoryWaiverStore(), InMemoryDecisionStore()
    dynamodb = aws_clients.client("dynamodb")
    for table in ("policy-waivers", "policy-decisions"):  # each test starts from empty tables
        name = aws_settings.name(table)
        key = "waiver_id" if table == "policy-waivers" else "decision_id"
        for item in dynamodb.scan(TableName=name)["Items"]:
            dynamodb.delete_item(TableName=name, Key={key: item[key]})
    return (
        DynamoDBWaiverStore(dynamodb, aws_settings.name("policy-waivers")),
        DynamoDBDecisionStore(dynamodb, aws_settings.name("policy-decisions")),
    )


def waiver(repository: str, rule: str, days: int = 10, *, four_eyes: bool = False):
    request = WaiverRequest(
        rule=rule,
        repository=repository,
        owner="team-x",
        reason="tracked in TICKET-1 ok",
        expires_at=NOW + timedelta(days=days),
    )
    return new_waiver(request, "alice", NOW + timedelta(minutes=days), four_eyes=four_eyes)


def test_waivers_are_stored_once_and_listed_per_repository_newest_first(
    stores: tuple[WaiverStore, DecisionStore],
) -> None:
    waivers, _ = stores
    first = waivers.put(waiver("orders-api", "DOCKER-003", days=5))
    second = waivers.put(waiver("orders-api", "CKV_AWS_18", days=9))
    waivers.put(waiver("billing-api", "DOCKER-003"))

    # A second put of the same waiver returns the stored one and adds nothing
    assert waivers.put(waiver("orders-api", "DOCKER-003", days=5)) == first
    assert [w.waiver_id for w in waivers.list("orders-api")] == [second.waiver_id, first.waiver_id]
    assert {w.rule for w in waivers.for_repository("orders-api")} == {"DOCKER-003", "CKV_AWS_18"}
    assert len(waivers.list()) == 3


def test_a_decision_is_read_back_as_it_was_stored(stores: tuple[WaiverStore, DecisionStore]) -> None:
    _, decisions = stores
    decision = DecisionRecord(
        decision_id="dec-1",
        subject="orders-api",
        digest="a" * 64,
        bundle_version="agentic-org-policies@1",
        environment="prod",
        enforcement="strict",
        valid=False,
        violations=3,
        blocking=1,
        waived=("wvr-1",),
        engines=("rego", "checkov"),
        evaluated_at=NOW,
        workflow_id="wf-1",
    )
    decisions.put(decision)
    assert decisions.get("dec-1") == decision
    assert decisions.get("dec-missing") is None


def test_a_pending_waiver_is_approved_once_and_a_second_approval_finds_it_active(
    stores: tuple[WaiverStore, DecisionStore],
) -> None:
    # Given a pending waiver (four eyes)
    waivers, _ = stores
    pending = waivers.put(
        new_waiver(
            WaiverRequest(
                rule="DOCKER-001",
                repository="orders-api",
                owner="team-x",
                reason="tracked in TICKET-2 ok",
                expires_at=NOW + timedelta(days=3),
            ),
            "alice",
            NOW,
            four_eyes=True,
        )
    )
    assert waivers.get(pending.waiver_id) == pending
    assert pending.status == "pending"

    # When bob's approval replaces it, conditional on it still being pending
    active = approved(pending, "bob", NOW + timedelta(minutes=1))
    assert waivers.replace(active, expected_status="pending") is True

    # Then it is read back active with both audit entries, and a second approval finds it no longer pending
    assert waivers.get(pending.waiver_id) == active
    assert [e.action for e in active.audit] == ["created", "approved"]
    assert waivers.replace(approved(pending, "carol", NOW), expected_status="pending") is False
    assert waivers.get("wvr-missing") is None


def test_a_repositorys_waivers_are_read_by_key_and_an_approval_shows_at_once(
    stores: tuple[WaiverStore, DecisionStore],
) -> None:
    # Given a pending waiver of a repository (four eyes)
    waivers, _ = stores
    pending = waivers.put(waiver("payments-api", "DOCKER-003", four_eyes=True))
    assert [w.status for w in waivers.for_repository("payments-api")] == ["pending"]
    # When it is approved
    assert waivers.replace(approved(pending, "bob", NOW), expected_status="pending")
    # Then the next check of the repository sees it active, and no other repository's waiver
    assert [(w.waiver_id, w.status) for w in waivers.for_repository("payments-api")] == [
        (pending.waiver_id, "active")
    ]
    assert waivers.for_repository("no-such-api") == []


def test_the_dynamodb_waiver_check_queries_an_index_and_never_scans(
    aws_settings: CommonSettings, queue_urls: dict[str, str]
) -> None:
    # Given the DynamoDB waiver store, its calls counted by a botocore hook on its own client
    dynamodb, calls = counted_client(aws_settings, "dynamodb")
    waivers = DynamoDBWaiverStore(dynamodb, aws_settings.name("policy-waivers"))
    waivers.put(waiver("ledger-api", "DOCKER-003"))
    calls.clear()
    # When a check reads the waivers of a repository with one, and of one with none
    assert len(waivers.for_repository("ledger-api")) == 1
    assert waivers.for_repository("nothing-waived-api") == []
    # Then each was one Query of the index, and the one with a waiver one BatchGetItem more
    assert calls == ["Query", "BatchGetItem", "Query"]
