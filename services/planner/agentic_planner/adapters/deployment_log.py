"""The ``deployments`` table through a DynamoDB client, as the planner reads and writes it."""

from __future__ import annotations

from typing import Any

SERVICE_INDEX = "service-index"


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {key: (value["S"] if "S" in value else int(value["N"])) for key, value in item.items()}


class DynamoDBDeploymentLog:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def add(self, entry: dict[str, str]) -> None:
        item = {k: ({"N": v} if k == "expires_at" else {"S": v}) for k, v in entry.items()}
        self._db.put_item(TableName=self._table, Item=item)

    def of(self, deployment_id: str) -> list[dict[str, Any]]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="deployment_id = :d",
            ExpressionAttributeValues={":d": {"S": deployment_id}},
            ConsistentRead=True,
        )
        return [_plain(item) for item in page.get("Items", [])]

    def of_service(self, service: str, limit: int = 100) -> list[dict[str, Any]]:
        page = self._db.query(
            TableName=self._table,
            IndexName=SERVICE_INDEX,
            KeyConditionExpression="service_name = :s",
            ExpressionAttributeValues={":s": {"S": service}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_plain(item) for item in page.get("Items", [])]
