"""In-memory state store: the same semantics as the DynamoDB adapter, for unit tests."""

from __future__ import annotations

import base64
import threading
from collections.abc import Sequence
from datetime import datetime

from agentic_common.state.models import (
    RemediationRecord,
    TaskRecord,
    WorkflowPage,
    WorkflowRecord,
    WorkflowState,
    WorkflowStatus,
)
from agentic_common.state.port import AlreadyExistsError, ConflictError


class InMemoryStateStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._workflows: dict[str, WorkflowRecord] = {}
        self._tasks: dict[tuple[str, str], TaskRecord] = {}
        self._keys: dict[str, str] = {}
        self._remediations: dict[tuple[str, str], RemediationRecord] = {}

    def create_workflow(
        self, workflow: WorkflowRecord, tasks: Sequence[TaskRecord], idempotency_key: str | None = None
    ) -> None:
        with self._lock:
            if workflow.workflow_id in self._workflows:
                raise AlreadyExistsError(f"workflow {workflow.workflow_id} already exists")
            if idempotency_key is not None and idempotency_key in self._keys:
                raise AlreadyExistsError(f"idempotency key {idempotency_key!r} already used")
            self._workflows[workflow.workflow_id] = workflow
            for task in tasks:
                self._tasks[(task.workflow_id, task.task_id)] = task
            if idempotency_key is not None:
                self._keys[idempotency_key] = workflow.workflow_id

    def load(self, workflow_id: str) -> WorkflowState | None:
        with self._lock:
            workflow = self._workflows.get(workflow_id)
            if workflow is None:
                return None
            tasks = sorted(
                (t for (w, _), t in self._tasks.items() if w == workflow_id), key=lambda t: t.task_id
            )
            remediations = sorted(
                (r for (w, _), r in self._remediations.items() if w == workflow_id),
                key=lambda r: r.recommendation_id,
            )
            return WorkflowState(workflow=workflow, tasks=tuple(tasks), remediations=tuple(remediations))

    def load_task(self, workflow_id: str, task_id: str) -> TaskRecord | None:
        with self._lock:
            return self._tasks.get((workflow_id, task_id))

    def _current_version(self, record: WorkflowRecord | TaskRecord) -> int:
        if isinstance(record, WorkflowRecord):
            existing_wf = self._workflows.get(record.workflow_id)
            return existing_wf.version if existing_wf else 0
        existing_task = self._tasks.get((record.workflow_id, record.task_id))
        return existing_task.version if existing_task else 0

    def commit(self, records: Sequence[WorkflowRecord | TaskRecord]) -> None:
        with self._lock:
            for record in records:
                if self._current_version(record) != record.version - 1:
                    raise ConflictError(
                        f"{type(record).__name__} changed concurrently (version {record.version})"
                    )
            for record in records:
                if isinstance(record, WorkflowRecord):
                    self._workflows[record.workflow_id] = record
                else:
                    self._tasks[(record.workflow_id, record.task_id)] = record

    def list_workflows(
        self, status: WorkflowStatus, limit: int = 50, cursor: str | None = None
    ) -> WorkflowPage:
        with self._lock:
            matching = sorted(
                (w for w in self._workflows.values() if w.status == status),
                key=lambda w: (w.created_at, w.workflow_id),
                reverse=True,
            )
        start = int(base64.urlsafe_b64decode(cursor.encode()).decode()) if cursor else 0
        page = matching[start : start + limit]
        more = start + limit < len(matching)
        next_cursor = base64.urlsafe_b64encode(str(start + limit).encode()).decode() if more else None
        return WorkflowPage(workflows=tuple(page), next_cursor=next_cursor)

    def workflow_for_idempotency_key(self, key: str) -> str | None:
        with self._lock:
            return self._keys.get(key)

    def workflows_with_pending_outbox(self, limit: int = 100) -> list[str]:
        with self._lock:
            return [w.workflow_id for w in self._workflows.values() if w.outbox][:limit]

    def due_workflows(self, until: datetime, limit: int = 100) -> list[tuple[str, datetime]]:
        with self._lock:
            due = sorted(
                (w.due_at, w.workflow_id)
                for w in self._workflows.values()
                if w.due_at is not None and w.due_at <= until
            )
        return [(workflow_id, at) for at, workflow_id in due[:limit]]

    def add_remediation(self, record: RemediationRecord) -> bool:
        with self._lock:
            key = (record.workflow_id, record.recommendation_id)
            if key in self._remediations:
                return False
            self._remediations[key] = record
            return True
