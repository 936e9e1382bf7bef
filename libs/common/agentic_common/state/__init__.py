"""Workflow state: records, the store port and its adapters."""

from agentic_common.state.models import (
    RemediationRecord,
    TaskRecord,
    TaskStatus,
    WorkflowPage,
    WorkflowRecord,
    WorkflowState,
    WorkflowStatus,
)
from agentic_common.state.port import AlreadyExistsError, ConflictError, StateStore

__all__ = [
    "AlreadyExistsError",
    "ConflictError",
    "RemediationRecord",
    "StateStore",
    "TaskRecord",
    "TaskStatus",
    "WorkflowPage",
    "WorkflowRecord",
    "WorkflowState",
    "WorkflowStatus",
]
