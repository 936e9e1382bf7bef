"""The shared deployments record (libs/common): what the planner and observability need of it, on both
adapters (in-memory and DynamoDB on the local AWS). The deployment worker's suite is
tests/integration/deployment/test_deployment_history.py."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.records.deployments import DeploymentHistory, DeploymentRecord, expires_at
from agentic_common.records.deployments_dynamodb import DynamoDBDeploymentHistory
from agentic_common.records.deployments_memory import InMemoryDeploymentHistory
from agentic_common.settings import CommonSettings

AT = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


def requested(deployment_id: str, **overrides: Any) -> DeploymentRecord:
    fields: dict[str, Any] = {
        "deployment_id": deployment_id, "timestamp": AT, "workflow_id": "wf-1", "task_id": "deploy",
        "service_name": "orders-api", "environment": "prod", "version": "a" * 40, "status": "requested",
        "target": "planner", "expires_at": expires_at(AT), "repo_url": "https://git.example/orders.git",
        "strategy": "canary", "ref": "v1.2.3",
    }  # fmt: skip
    return DeploymentRecord(**(fields | overrides))


@pytest.fixture(params=["memory", "dynamodb"])
def history(request: pytest.FixtureRequest) -> DeploymentHistory:
    if request.param == "memory":
        return InMemoryDeploymentHistory()
    settings: CommonSettings = request.getfixturevalue("aws_settings")
    clients: AwsClients = request.getfixturevalue("aws_clients")
    request.getfixturevalue("queue_urls")  # provisions the topology, tables included
    return DynamoDBDeploymentHistory(clients.client("dynamodb"), settings.name("deployments"))


@pytest.fixture
def new_id() -> str:
    return f"dep-{uuid.uuid4().hex[:16]}"


def test_a_request_side_entry_reads_back_with_its_ref_and_detail(
    history: DeploymentHistory, new_id: str
) -> None:
    # Given the planner's entry for an approved request
    entry = requested(new_id, status="approved", detail="jane: ship it")

    # When it is recorded and read back
    history.record(entry)

    # Then every field comes back as written, the microseconds of the timestamp included
    assert history.of(new_id) == [entry]


def test_every_lists_the_records_of_every_deployment(history: DeploymentHistory, new_id: str) -> None:
    # Given two deployments of two services
    first, second = requested(new_id), requested(f"{new_id}-b", service_name="billing-api", status="success")
    history.record(first)
    history.record(second)

    # When observability reads every record
    every = history.every()

    # Then both are there, whole
    assert first in every
    assert second in every


def test_on_day_lists_the_records_of_that_utc_day_only(history: DeploymentHistory, new_id: str) -> None:
    # Given a record just before midnight UTC and one just after
    before = requested(new_id, timestamp=datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC))
    after = requested(new_id, timestamp=datetime(2026, 3, 2, 0, 0, 1, tzinfo=UTC))
    history.record(before)
    history.record(after)

    # When the records of the first day are read
    first_day = [r for r in history.on_day(date(2026, 3, 1)) if r.deployment_id == new_id]

    # Then only the one of that day comes back
    assert first_day == [before]
