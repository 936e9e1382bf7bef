"""The monitor's deployments: read whole once per refresh period, topped up from the day index in between
(DynamoDB on the local AWS)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.records.deployments import DeploymentRecord, expires_at
from agentic_common.records.deployments_dynamodb import DynamoDBDeploymentHistory
from agentic_common.settings import CommonSettings
from agentic_observability.adapters.recent_deployments import RecentDeployments

NOW = datetime.now(UTC).replace(microsecond=0)


class CountingHistory:
    """The DynamoDB history, counting its whole-table reads."""

    def __init__(self, inner: DynamoDBDeploymentHistory) -> None:
        self.inner = inner
        self.whole_reads = 0

    def record(self, record: DeploymentRecord) -> bool:
        return self.inner.record(record)

    def of(self, deployment_id: str) -> list[DeploymentRecord]:
        return self.inner.of(deployment_id)

    def of_service(self, service_name: str, limit: int = 50) -> list[DeploymentRecord]:
        return self.inner.of_service(service_name, limit)

    def on_day(self, day: date) -> list[DeploymentRecord]:
        return self.inner.on_day(day)

    def every(self) -> list[DeploymentRecord]:
        self.whole_reads += 1
        return self.inner.every()


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def history(aws_settings: CommonSettings, aws_clients: AwsClients, queue_urls: Any) -> CountingHistory:
    return CountingHistory(
        DynamoDBDeploymentHistory(aws_clients.client("dynamodb"), aws_settings.name("deployments"))
    )


def a_record(at: datetime, **overrides: Any) -> DeploymentRecord:
    fields: dict[str, Any] = {
        "deployment_id": f"dep-{uuid.uuid4().hex[:16]}", "timestamp": at, "workflow_id": "wf-1",
        "task_id": "deploy", "service_name": "orders-api", "environment": "dev", "version": "a" * 40,
        "status": "success", "target": "local-process", "expires_at": expires_at(at), "url": "http://127.0.0.1:1",
    }  # fmt: skip
    return DeploymentRecord(**(fields | overrides))


def test_a_deployment_recorded_between_full_reads_is_seen_on_the_next_poll(history: CountingHistory) -> None:
    # Given a monitor's view that has read the table whole once
    clock = Clock()
    recent = RecentDeployments(history, timedelta(hours=1), clock)
    recent.records()

    # When a deployment is recorded and the monitor polls 15 s later
    new = a_record(NOW)
    history.record(new)
    clock.now = NOW + timedelta(seconds=15)
    seen = recent.records()

    # Then it sees the new deployment without reading the table whole again
    assert new in seen
    assert history.whole_reads == 1


def test_the_table_is_read_whole_again_after_the_refresh_period(history: CountingHistory) -> None:
    # Given a monitor's view read whole once, and a record dated three days back written afterwards
    clock = Clock()
    recent = RecentDeployments(history, timedelta(hours=1), clock)
    recent.records()
    old = a_record(NOW - timedelta(days=3))
    history.record(old)

    # When the refresh period has passed
    clock.now = NOW + timedelta(hours=1)
    seen = recent.records()

    # Then the table was read whole a second time, and the late record is seen
    assert history.whole_reads == 2
    assert old in seen


def test_a_record_past_its_expiry_is_dropped(history: CountingHistory) -> None:
    # Given a record whose expiry is a minute away
    clock = Clock()
    record = a_record(NOW, expires_at=int((NOW + timedelta(minutes=1)).timestamp()))
    history.record(record)
    recent = RecentDeployments(history, timedelta(hours=1), clock)
    assert record in recent.records()

    # When the monitor polls after it expired (DynamoDB deletes expired items lazily)
    clock.now = NOW + timedelta(minutes=2)

    # Then it is no longer among the deployments
    assert record not in recent.records()
