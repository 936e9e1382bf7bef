"""The ``deployments`` table as the planner API reads and writes it: history items as plain dicts.

The planner writes the request-side entries of a deployment's history (requested, awaiting approval,
approved, rejected); the deployment worker writes the outcome (success, failed, rolled_back).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

RETENTION = timedelta(days=90)
SERVICE_INDEX = "service-index"


class DeploymentLog(Protocol):
    def add(self, entry: dict[str, str]) -> None: ...
    def of(self, deployment_id: str) -> list[dict[str, Any]]: ...
    def of_service(self, service: str, limit: int = 100) -> list[dict[str, Any]]: ...


def entry(
    deployment_id: str,
    workflow_id: str,
    params: dict[str, Any],
    status: str,
    at: datetime,
    *,
    detail: str | None = None,
) -> dict[str, str]:
    item = {
        "deployment_id": deployment_id,
        "timestamp": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "workflow_id": workflow_id,
        "task_id": "deploy",
        "service_name": params["service"],
        "environment": params["environment"],
        "version": params["version"],
        "status": status,
        "target": "planner",
        "repo_url": params["repoUrl"],
        "strategy": params.get("strategy", "rolling"),
        "expires_at": str(int((at + RETENTION).timestamp())),
    }
    if params.get("ref"):  # the tag or branch the request named; ``version`` is its commit
        item["ref"] = params["ref"]
    return item | ({"detail": detail} if detail else {})


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
