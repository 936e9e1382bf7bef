"""The ``deployments``, ``workflows`` and ``alerts`` tables through a DynamoDB client."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from agentic_common.state import WorkflowRecord
from botocore.exceptions import ClientError

from agentic_observability.ports import DeploymentRow, WorkflowRow

WORKFLOW_SK = "#workflow"


def _scan(db: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
    while True:
        page = db.scan(**kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _text(item: dict[str, Any], name: str, default: str = "") -> str:
    return str(item.get(name, {}).get("S", default))


def deployment_row(item: dict[str, Any]) -> DeploymentRow:
    return DeploymentRow(
        deployment_id=_text(item, "deployment_id"),
        timestamp=datetime.fromisoformat(_text(item, "timestamp")),
        workflow_id=_text(item, "workflow_id"),
        service=_text(item, "service_name"),
        environment=_text(item, "environment"),
        version=_text(item, "version"),
        status=_text(item, "status"),
        url=_text(item, "url") or None,
    )


class DynamoDBTables:
    def __init__(self, client: Any, deployments_table: str, workflows_table: str) -> None:
        self._db = client
        self._deployments = deployments_table
        self._workflows = workflows_table

    def deployments(self) -> list[DeploymentRow]:
        return [deployment_row(item) for item in _scan(self._db, TableName=self._deployments)]

    def workflows(self) -> list[WorkflowRow]:
        items = _scan(
            self._db,
            TableName=self._workflows,
            FilterExpression="task_id = :w",
            ExpressionAttributeValues={":w": {"S": WORKFLOW_SK}},
        )
        rows = []
        for item in items:
            record = WorkflowRecord.model_validate_json(item["data"]["S"])
            rows.append(
                WorkflowRow(
                    record.workflow_id,
                    record.template,
                    record.status.value,
                    record.created_at,
                    record.completed_at,
                )
            )
        return rows


class DynamoDBAlertLedger:
    """Fingerprint → open incident, with a TTL (``expires_at``) so a forgotten one ages out."""

    def __init__(self, client: Any, table: str, clock: Any = time.time) -> None:
        self._db = client
        self._table = table
        self._clock = clock

    def open(self, fingerprint: str, service: str, ttl_seconds: int) -> bool:
        now = int(self._clock())
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    "fingerprint": {"S": fingerprint},
                    "service": {"S": service},
                    "opened_at": {"N": str(now)},
                    "expires_at": {"N": str(now + ttl_seconds)},
                },
                # an expired item may linger until DynamoDB deletes it: treat it as absent
                ConditionExpression="attribute_not_exists(fingerprint) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def close(self, fingerprint: str) -> None:
        self._db.delete_item(TableName=self._table, Key={"fingerprint": {"S": fingerprint}})


class MemoryAlertLedger:
    """The in-process ledger (unit tests; same semantics as the table)."""

    def __init__(self, clock: Any = time.time) -> None:
        self._open: dict[str, float] = {}
        self._clock = clock

    def open(self, fingerprint: str, service: str, ttl_seconds: int) -> bool:
        now = self._clock()
        if self._open.get(fingerprint, 0) > now:
            return False
        self._open[fingerprint] = now + ttl_seconds
        return True

    def close(self, fingerprint: str) -> None:
        self._open.pop(fingerprint, None)
