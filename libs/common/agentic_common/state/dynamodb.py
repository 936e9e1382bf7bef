"""DynamoDB state store: one item per workflow (``#workflow``), per task and per remediation.

Records are stored whole as JSON in ``data``, beside the key, ``version`` and the attributes the
status index needs (``wf_status``, ``created_at``; set on workflow items only, so the index is sparse),
and the due index (``due_shard``, ``due_at``; only on a workflow the sweep has work for, ``state.due``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from agentic_common.state.cursor import encode, start_key
from agentic_common.state.due import sortable
from agentic_common.state.models import (
    RemediationRecord,
    TaskRecord,
    WorkflowPage,
    WorkflowRecord,
    WorkflowState,
    WorkflowStatus,
)
from agentic_common.state.port import AlreadyExistsError, ConflictError

WORKFLOW_SK = "#workflow"
REMEDIATION_PREFIX = "#remediation#"
KEY_PREFIX = "#key#"
STATUS_INDEX = "status-index"
OUTBOX_INDEX = "outbox-index"
DUE_INDEX = "due-index"
DUE_SHARD = "due"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


class DynamoDBStateStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    # -- items -------------------------------------------------------------------------------
    def _item(self, record: WorkflowRecord | TaskRecord | RemediationRecord) -> dict[str, Any]:
        item: dict[str, Any] = {"workflow_id": _s(record.workflow_id), "data": _s(record.model_dump_json())}
        if isinstance(record, WorkflowRecord):
            item |= {
                "task_id": _s(WORKFLOW_SK),
                "wf_status": _s(record.status.value),
                "created_at": _s(record.created_at.isoformat()),
                "version": {"N": str(record.version)},
            }
            if record.outbox:
                item["outbox_pending"] = _s("pending")
            if record.due_at is not None:
                item |= {"due_shard": _s(DUE_SHARD), "due_at": _s(sortable(record.due_at))}
        elif isinstance(record, TaskRecord):
            item |= {"task_id": _s(record.task_id), "version": {"N": str(record.version)}}
        else:
            item |= {"task_id": _s(REMEDIATION_PREFIX + record.recommendation_id)}
        return item

    def _put(self, record: WorkflowRecord | TaskRecord) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self._table, "Item": self._item(record)}
        if record.version == 1:
            put["ConditionExpression"] = "attribute_not_exists(workflow_id)"
        else:
            put["ConditionExpression"] = "version = :expected"
            put["ExpressionAttributeValues"] = {":expected": {"N": str(record.version - 1)}}
        return {"Put": put}

    # -- port --------------------------------------------------------------------------------
    def create_workflow(
        self, workflow: WorkflowRecord, tasks: Sequence[TaskRecord], idempotency_key: str | None = None
    ) -> None:
        items = [self._put(workflow), *(self._put(task) for task in tasks)]
        if idempotency_key is not None:
            key_item = {
                "workflow_id": _s(KEY_PREFIX + idempotency_key),
                "task_id": _s("#key"),
                "target": _s(workflow.workflow_id),
            }
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": key_item,
                        "ConditionExpression": "attribute_not_exists(workflow_id)",
                    }
                }
            )
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                raise AlreadyExistsError(
                    f"workflow {workflow.workflow_id} or its idempotency key exists"
                ) from exc
            raise

    def load(self, workflow_id: str) -> WorkflowState | None:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "workflow_id = :w",
            "ExpressionAttributeValues": {":w": _s(workflow_id)},
            "ConsistentRead": True,
        }
        while True:
            page = self._db.query(**kwargs)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        workflow = None
        tasks: list[TaskRecord] = []
        remediations: list[RemediationRecord] = []
        for item in items:
            sort_key, data = item["task_id"]["S"], item["data"]["S"]
            if sort_key == WORKFLOW_SK:
                workflow = WorkflowRecord.model_validate_json(data)
            elif sort_key.startswith(REMEDIATION_PREFIX):
                remediations.append(RemediationRecord.model_validate_json(data))
            else:
                tasks.append(TaskRecord.model_validate_json(data))
        if workflow is None:
            return None
        return WorkflowState(workflow=workflow, tasks=tuple(tasks), remediations=tuple(remediations))

    def load_task(self, workflow_id: str, task_id: str) -> TaskRecord | None:
        if task_id.startswith("#"):
            return None  # the workflow item, a remediation or a key: never a task
        item = self._db.get_item(
            TableName=self._table,
            Key={"workflow_id": _s(workflow_id), "task_id": _s(task_id)},
            ConsistentRead=True,
        ).get("Item")
        return TaskRecord.model_validate_json(item["data"]["S"]) if item else None

    def commit(self, records: Sequence[WorkflowRecord | TaskRecord]) -> None:
        if not records:
            return
        if len(records) == 1:  # one conditional PutItem: half the capacity of a transaction
            try:
                self._db.put_item(**self._put(records[0])["Put"])
            except ClientError as exc:
                if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                    raise ConflictError(f"workflow {records[0].workflow_id} changed concurrently") from exc
                raise
            return
        try:
            self._db.transact_write_items(TransactItems=[self._put(r) for r in records])
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                raise ConflictError(f"workflow {records[0].workflow_id} changed concurrently") from exc
            raise

    def list_workflows(
        self, status: WorkflowStatus, limit: int = 50, cursor: str | None = None
    ) -> WorkflowPage:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": STATUS_INDEX,
            "KeyConditionExpression": "wf_status = :s",
            "ExpressionAttributeValues": {":s": _s(status.value)},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = start_key(cursor, status.value)
        page = self._db.query(**kwargs)
        workflows = tuple(WorkflowRecord.model_validate_json(i["data"]["S"]) for i in page["Items"])
        last = page.get("LastEvaluatedKey")
        next_cursor = encode(last) if last else None
        return WorkflowPage(workflows=workflows, next_cursor=next_cursor)

    def workflow_for_idempotency_key(self, key: str) -> str | None:
        item = self._db.get_item(
            TableName=self._table,
            Key={"workflow_id": _s(KEY_PREFIX + key), "task_id": _s("#key")},
            ConsistentRead=True,
        ).get("Item")
        return item["target"]["S"] if item else None

    def workflows_with_pending_outbox(self, limit: int = 100) -> list[str]:
        page = self._db.query(
            TableName=self._table,
            IndexName=OUTBOX_INDEX,
            KeyConditionExpression="outbox_pending = :p",
            ExpressionAttributeValues={":p": _s("pending")},
            Limit=limit,
        )
        return [item["workflow_id"]["S"] for item in page["Items"]]

    def due_workflows(self, until: datetime, limit: int = 100) -> list[tuple[str, datetime]]:
        page = self._db.query(
            TableName=self._table,
            IndexName=DUE_INDEX,
            KeyConditionExpression="due_shard = :d AND due_at <= :until",
            ExpressionAttributeValues={":d": _s(DUE_SHARD), ":until": _s(sortable(until))},
            Limit=limit,
        )
        return [
            (item["workflow_id"]["S"], datetime.fromisoformat(item["due_at"]["S"])) for item in page["Items"]
        ]

    def add_remediation(self, record: RemediationRecord) -> bool:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=self._item(record),
                ConditionExpression="attribute_not_exists(workflow_id)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True
