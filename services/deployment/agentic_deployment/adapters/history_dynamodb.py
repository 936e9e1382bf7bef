"""Deployment history in the ``deployments`` table: PK deployment_id, SK timestamp (ISO 8601, UTC).

Writes are conditional on the key: a redelivered task that finds its service still running reports
the same start time, so its second write is refused and the history keeps one item per real start.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from botocore.exceptions import ClientError

from agentic_deployment.ports import DeploymentRecord, DeploymentStatus

_TEXT_FIELDS = ("workflow_id", "task_id", "service_name", "environment", "version", "status", "target")
_OPTIONAL_FIELDS = ("url", "repo_url", "strategy", "detail")
SERVICE_INDEX = "service-index"


def sort_key(timestamp: datetime) -> str:
    """One format for every item, so that the sort key orders by time."""
    return timestamp.astimezone(UTC).isoformat(timespec="microseconds")


def to_item(record: DeploymentRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "deployment_id": {"S": record.deployment_id},
        "timestamp": {"S": sort_key(record.timestamp)},
        "expires_at": {"N": str(record.expires_at)},
    }
    item |= {name: {"S": getattr(record, name)} for name in _TEXT_FIELDS}
    item |= {name: {"S": value} for name in _OPTIONAL_FIELDS if (value := getattr(record, name))}
    return item


def from_item(item: dict[str, Any]) -> DeploymentRecord:
    text = {name: item[name]["S"] for name in _TEXT_FIELDS}
    return DeploymentRecord(
        deployment_id=item["deployment_id"]["S"],
        timestamp=datetime.fromisoformat(item["timestamp"]["S"]),
        expires_at=int(item["expires_at"]["N"]),
        **{name: item[name]["S"] for name in _OPTIONAL_FIELDS if name in item},
        workflow_id=text["workflow_id"],
        task_id=text["task_id"],
        service_name=text["service_name"],
        environment=text["environment"],
        version=text["version"],
        status=cast(DeploymentStatus, text["status"]),
        target=text["target"],
    )


class DynamoDBDeploymentHistory:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    def record(self, record: DeploymentRecord) -> bool:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(record),
                ConditionExpression="attribute_not_exists(deployment_id)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def of(self, deployment_id: str) -> list[DeploymentRecord]:
        records: list[DeploymentRecord] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "deployment_id = :d",
            "ExpressionAttributeValues": {":d": {"S": deployment_id}},
            "ConsistentRead": True,
        }
        while True:
            page = self._db.query(**kwargs)
            records.extend(from_item(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return records
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def of_service(self, service_name: str, limit: int = 50) -> list[DeploymentRecord]:
        page = self._db.query(
            TableName=self._table,
            IndexName=SERVICE_INDEX,
            KeyConditionExpression="service_name = :s",
            ExpressionAttributeValues={":s": {"S": service_name}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [from_item(item) for item in page.get("Items", [])]
