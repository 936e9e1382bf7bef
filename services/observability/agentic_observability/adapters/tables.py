"""The ``deployments`` and ``workflows`` tables as observability reads them, and the ``alerts`` ledger."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from agentic_common.records.deployments import DeploymentHistory, DeploymentRecord
from agentic_common.records.deployments_dynamodb import DynamoDBDeploymentHistory
from agentic_common.state import WorkflowRecord, WorkflowStatus
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.state.port import StateStore
from botocore.exceptions import ClientError

from agentic_observability.adapters.recent_deployments import RecentDeployments
from agentic_observability.ports import DeploymentRow, WorkflowRow


def deployment_row(record: DeploymentRecord) -> DeploymentRow:
    return DeploymentRow(
        deployment_id=record.deployment_id,
        timestamp=record.timestamp,
        workflow_id=record.workflow_id,
        service=record.service_name,
        environment=record.environment,
        version=record.version,
        status=record.status,
        url=record.url,
    )


def workflow_row(record: WorkflowRecord) -> WorkflowRow:
    return WorkflowRow(
        record.workflow_id, record.template, record.status.value, record.created_at, record.completed_at
    )


class DynamoDBTables:
    """Deployments through the shared record's adapter; workflows through the state store port.

    With ``refresh_every`` (the monitor, polling every few seconds) the deployments are read whole
    once per ``refresh_every`` and topped up in between from the day index (today and yesterday), so a
    poll reads what changed lately, never the whole table; without it every call reads them whole.
    """

    def __init__(
        self,
        client: Any,
        deployments_table: str,
        workflows_table: str,
        *,
        refresh_every: timedelta | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._history: DeploymentHistory = DynamoDBDeploymentHistory(client, deployments_table)
        self._store: StateStore = DynamoDBStateStore(client, workflows_table)
        self._recent = RecentDeployments(self._history, refresh_every, clock) if refresh_every else None

    def deployments(self) -> list[DeploymentRow]:
        records = self._recent.records() if self._recent else self._history.every()
        return [deployment_row(record) for record in records]

    def workflows(self) -> list[WorkflowRow]:
        rows: list[WorkflowRow] = []
        for status in WorkflowStatus:
            cursor: str | None = None
            while True:
                page = self._store.list_workflows(status, 100, cursor)
                rows.extend(workflow_row(w) for w in page.workflows)
                if (cursor := page.next_cursor) is None:
                    break
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
