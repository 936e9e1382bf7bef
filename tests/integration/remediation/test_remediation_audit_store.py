"""One contract for the audit store, run against the in-memory fake and the DynamoDB table (moto)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.aws import AwsClients
from agentic_remediation.adapters.dynamodb.audit import DynamoDBAuditStore
from agentic_remediation.adapters.memory.audit import InMemoryAuditStore
from agentic_remediation.ports import AuditRecord, AuditStore

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)


@pytest.fixture(params=["memory", "dynamodb"])
def store(request: pytest.FixtureRequest) -> Iterator[AuditStore]:
    if request.param == "memory":
        yield InMemoryAuditStore()
        return
    clients: AwsClients = request.getfixturevalue("aws_clients")
    request.getfixturevalue("queue_urls")  # provisions the tables
    yield DynamoDBAuditStore(clients.client("dynamodb"), "agentic-test-remediation-audit")


def _record(service: str, at: datetime, action_id: str, kind: str = "action_requested") -> AuditRecord:
    return AuditRecord(
        service=service,
        at=at,
        record_id=f"{action_id}#{kind}",
        kind=kind,  # type: ignore[arg-type]
        decided_by="tier-policy@v1",
        workflow_id="wf-1",
        trigger="anomaly.detected",
        trigger_event_id="evt-1",
        action="restart",
        action_id=action_id,
        target={"service": service, "deployment_id": "dep-1", "environment": "dev"},
        before={"pid": 1},
        after={"pid": 2},
    )


def test_a_record_is_stored_once_and_read_back_whole(store: AuditStore) -> None:
    service = f"svc-{uuid.uuid4().hex[:8]}"
    record = _record(service, T0, "act-1")
    assert store.append(record) is True
    assert store.append(record) is False
    assert store.of_service(service) == [record]


def test_records_come_back_oldest_first_and_since_a_time(store: AuditStore) -> None:
    service = f"svc-{uuid.uuid4().hex[:8]}"
    late, early = _record(service, T0 + timedelta(minutes=5), "act-2"), _record(service, T0, "act-1")
    store.append(late)
    store.append(early)
    assert [r.action_id for r in store.of_service(service)] == ["act-1", "act-2"]
    assert [r.action_id for r in store.of_service(service, since=T0 + timedelta(minutes=1))] == ["act-2"]


def test_the_records_of_one_action_are_found_by_its_id(store: AuditStore) -> None:
    service = f"svc-{uuid.uuid4().hex[:8]}"
    store.append(_record(service, T0, "act-1"))
    store.append(_record(service, T0 + timedelta(seconds=1), "act-1", kind="completed"))
    store.append(_record(service, T0, "act-2"))
    store.append(_record(f"{service}-other", T0, "act-1"))
    assert [r.kind for r in store.of_action(service, "act-1")] == ["action_requested", "completed"]
