"""Workflow and task records as the state store keeps them.

Every record carries ``version``. A store commits a record only if the stored version is exactly
``version - 1`` (or absent for version 1), so two concurrent writers can never both win.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TaskStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        return self in {TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.SKIPPED, TaskStatus.CANCELLED}


class WorkflowStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    AWAITING_APPROVAL = "awaiting_approval"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        return self in {WorkflowStatus.COMPLETED, WorkflowStatus.FAILED, WorkflowStatus.CANCELLED}


class TaskRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    workflow_id: str
    task_id: str
    agent: str
    action: str
    depends_on: tuple[str, ...] = ()
    status: TaskStatus = TaskStatus.PENDING
    attempt: int = 0
    max_attempts: int = Field(default=3, ge=1)
    timeout_seconds: int = Field(default=300, ge=1)
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = Field(default=None, description="When the planner dispatched the attempt.")
    agent_started_at: datetime | None = Field(
        default=None, description="When the agent began the current attempt (its task.started)."
    )
    finished_at: datetime | None = None
    not_before: datetime | None = Field(default=None, description="Earliest dispatch time of a retry.")
    outputs: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    version: int = 1


class WorkflowRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    workflow_id: str
    status: WorkflowStatus = WorkflowStatus.IN_PROGRESS
    template: str
    parameters: dict[str, Any]
    requested_by: str
    via: str | None = Field(
        default=None, description="The service principal that asked for requested_by (e.g. Backstage)."
    )
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    reason: str | None = None
    links: dict[str, str] = Field(default_factory=dict)
    traceparent: str | None = None
    request_digest: str | None = None
    notifications: dict[str, str] = Field(
        default_factory=dict,
        description="Delivery outcome per notification and channel, e.g. "
        "'workflow.failed via slack' → 'failed (400 invalid_blocks)'.",
    )
    outbox: tuple[dict[str, Any], ...] = Field(
        default=(),
        description="Events committed with this state and not yet published (transactional outbox).",
    )
    due_at: datetime | None = Field(
        default=None, description="When the sweep next has work for this workflow (state.due.next_due)."
    )
    version: int = 1


class RemediationRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    workflow_id: str
    recommendation_id: str
    tier: str
    playbook: str
    summary: str
    trigger: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    recorded_at: datetime


class WorkflowState(BaseModel):
    """A workflow with all its tasks and remediation records, as loaded at one moment."""

    model_config = ConfigDict(frozen=True)

    workflow: WorkflowRecord
    tasks: tuple[TaskRecord, ...]
    remediations: tuple[RemediationRecord, ...] = ()

    def task(self, task_id: str) -> TaskRecord:
        return next(t for t in self.tasks if t.task_id == task_id)


class WorkflowPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    workflows: tuple[WorkflowRecord, ...]
    next_cursor: str | None = None
