"""One suite for the deployment history, run against the in-memory fake and DynamoDB (moto)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.settings import CommonSettings
from agentic_deployment.adapters.history_dynamodb import DynamoDBDeploymentHistory
from agentic_deployment.adapters.history_memory import InMemoryDeploymentHistory
from agentic_deployment.ports import DeploymentHistory, DeploymentRecord

STARTED = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def a_record(deployment_id: str, at: datetime = STARTED, **overrides: Any) -> DeploymentRecord:
    fields: dict[str, Any] = {
        "deployment_id": deployment_id, "timestamp": at, "workflow_id": "wf-1", "task_id": "deploy",
        "service_name": "orders-api", "environment": "dev", "version": "0123456789abcdef" * 2 + "01234567",
        "status": "success", "target": "local-process", "url": "http://127.0.0.1:8123",
        "expires_at": int((at + timedelta(days=90)).timestamp()),
    }  # fmt: skip
    return DeploymentRecord(**(fields | overrides))


@pytest.fixture
def new_id() -> str:
    return f"dep-{uuid.uuid4().hex[:16]}"


@pytest.fixture(params=["memory", "dynamodb"])
def history(request: pytest.FixtureRequest) -> DeploymentHistory:
    if request.param == "memory":
        return InMemoryDeploymentHistory()
    settings: CommonSettings = request.getfixturevalue("aws_settings")
    clients: AwsClients = request.getfixturevalue("aws_clients")
    request.getfixturevalue("queue_urls")  # provisions the topology, tables included
    return DynamoDBDeploymentHistory(clients.client("dynamodb"), settings.name("deployments"))


def test_a_recorded_deployment_reads_back_whole(history: DeploymentHistory, new_id: str) -> None:
    # Given / When a deployment is recorded
    written = history.record(a_record(new_id))

    # Then it was written and reads back unchanged
    assert written is True
    assert history.of(new_id) == [a_record(new_id)]


def test_recording_the_same_start_again_changes_nothing(history: DeploymentHistory, new_id: str) -> None:
    # Given a recorded deployment
    history.record(a_record(new_id))

    # When the same deployment and start time is recorded again, from a redelivered task
    written = history.record(a_record(new_id, url="http://127.0.0.1:9999"))

    # Then the second write is refused and the first record stays
    assert written is False
    assert history.of(new_id) == [a_record(new_id)]


def test_records_of_a_deployment_come_back_oldest_first(history: DeploymentHistory, new_id: str) -> None:
    # Given a failed attempt and, later, a success, recorded out of order
    later = a_record(new_id, STARTED + timedelta(minutes=5))
    earlier = a_record(new_id, STARTED, status="failed", url=None)
    history.record(later)
    history.record(earlier)

    # When / Then they are listed oldest first
    assert history.of(new_id) == [earlier, later]


def test_records_of_other_deployments_are_not_listed(history: DeploymentHistory, new_id: str) -> None:
    # Given records of two deployments
    history.record(a_record(new_id))
    history.record(a_record(new_id + "x"))

    # When / Then one deployment lists only its own
    assert [r.deployment_id for r in history.of(new_id)] == [new_id]


def test_the_dynamodb_item_carries_the_ttl_attribute(
    aws_settings: CommonSettings, aws_clients: AwsClients, queue_urls: dict[str, str], new_id: str
) -> None:
    # Given a deployment recorded in DynamoDB
    dynamodb = aws_clients.client("dynamodb")
    table = aws_settings.name("deployments")
    DynamoDBDeploymentHistory(dynamodb, table).record(a_record(new_id))

    # When the raw item is read
    key = {"deployment_id": {"S": new_id}, "timestamp": {"S": STARTED.isoformat(timespec="microseconds")}}
    item = dynamodb.get_item(TableName=table, Key=key)["Item"]

    # Then expires_at is a number 90 days after the start (the table's TTL attribute)
    assert item["expires_at"] == {"N": str(int((STARTED + timedelta(days=90)).timestamp()))}
    assert item["status"] == {"S": "success"}
