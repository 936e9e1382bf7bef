"""The deployments table item format (no network): keys, TTL attribute, round trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from agentic_deployment.adapters.history_dynamodb import from_item, sort_key, to_item
from agentic_deployment.ports import DeploymentRecord

RECORD = DeploymentRecord(
    deployment_id="dep-0123456789abcdef",
    timestamp=datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC),
    workflow_id="wf-1",
    task_id="deploy",
    service_name="orders-api",
    environment="dev",
    version="0123456789abcdef0123456789abcdef01234567",
    status="success",
    target="local-process",
    expires_at=1748779200,
    url="http://127.0.0.1:8123",
)


def test_an_item_has_the_table_keys_and_a_numeric_expiry() -> None:
    # Given / When a record becomes an item
    item = to_item(RECORD)

    # Then it is keyed by deployment id and ISO timestamp, and expires_at is a number (DynamoDB TTL)
    assert item["deployment_id"] == {"S": "dep-0123456789abcdef"}
    assert item["timestamp"] == {"S": "2025-03-01T12:00:00.123456+00:00"}
    assert item["expires_at"] == {"N": "1748779200"}


def test_an_item_reads_back_as_the_record() -> None:
    # Given / When a record goes to an item and back
    # Then nothing is lost
    assert from_item(to_item(RECORD)) == RECORD


def test_timestamps_in_other_zones_are_stored_in_utc_so_they_sort_by_time() -> None:
    # Given the same instant written from UTC and from UTC+2
    local = RECORD.timestamp.astimezone(timezone(timedelta(hours=2)))

    # When / Then both give the same sort key
    assert sort_key(local) == sort_key(RECORD.timestamp)
