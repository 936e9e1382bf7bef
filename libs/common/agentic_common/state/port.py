"""The state store port. Adapters: DynamoDB (``dynamodb``) and in-memory (``memory``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from agentic_common.state.models import (
    RemediationRecord,
    TaskRecord,
    WorkflowPage,
    WorkflowRecord,
    WorkflowState,
    WorkflowStatus,
)


class ConflictError(RuntimeError):
    """A conditional write lost: someone else changed the record first. Reload and re-apply."""


class AlreadyExistsError(ConflictError):
    """The workflow (or idempotency key) already exists."""


class StateStore(Protocol):
    def create_workflow(
        self, workflow: WorkflowRecord, tasks: Sequence[TaskRecord], idempotency_key: str | None = None
    ) -> None:
        """Store a new workflow, its tasks and its idempotency key in one transaction."""

    def load(self, workflow_id: str) -> WorkflowState | None: ...

    def load_task(self, workflow_id: str, task_id: str) -> TaskRecord | None:
        """One task as last committed (a consistent read), or None if there is no such task."""

    def commit(self, records: Sequence[WorkflowRecord | TaskRecord]) -> None:
        """Write records atomically; each must have ``version`` = stored version + 1, else ConflictError."""

    def list_workflows(
        self, status: WorkflowStatus, limit: int = 50, cursor: str | None = None
    ) -> WorkflowPage: ...

    def workflow_for_idempotency_key(self, key: str) -> str | None: ...

    def workflows_with_pending_outbox(self, limit: int = 100) -> list[str]:
        """Workflows whose outbox still holds unpublished events (the sweeper flushes them)."""

    def due_workflows(self, until: datetime, limit: int = 100) -> list[tuple[str, datetime]]:
        """Workflows the sweep has work for by ``until`` (``WorkflowRecord.due_at``), earliest first."""

    def add_remediation(self, record: RemediationRecord) -> bool:
        """Store a remediation record once; False if it was already there."""
