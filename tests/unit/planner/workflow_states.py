"""Workflow states as the planner stores them, for the notification tests (what each agent outputs)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agentic_common.events.planner import WorkflowCompleted, WorkflowFailed
from agentic_common.state import TaskRecord, TaskStatus, WorkflowRecord, WorkflowState

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
PUBLIC = "https://agentic.example.com"
REPO = "https://gitlab.example.com/acme/orders-api.git"
COMMIT = "4f2a9c1e0b7d"
MR = "https://gitlab.example.com/acme/orders-api/-/merge_requests/3"
SERVICE_URL = "https://orders-api.dev.example.com"

OUTPUTS: dict[str, dict[str, Any]] = {
    "codegen": {"repo_url": REPO, "commit": COMMIT, "branch": "main", "merge_request_url": MR},
    "policy": {"decision_id": "dec-7", "blocking": 0},
    "deploy": {"deployment_id": "dep-9", "version": COMMIT, "url": SERVICE_URL, "environment": "dev"},
    "verify": {"verified": True, "summary": "p95 41 ms, no errors."},
}
AGENTS = {"codegen": "codegen", "policy": "policy", "deploy": "deployment", "verify": "observability"}


def task(task_id: str, status: TaskStatus, **changes: Any) -> TaskRecord:
    outputs = OUTPUTS[task_id] if status is TaskStatus.SUCCEEDED else {}
    fields: dict[str, Any] = {
        "workflow_id": "wf-1",
        "task_id": task_id,
        "agent": AGENTS[task_id],
        "action": "deploy" if task_id == "deploy" else task_id,
        "status": status,
        "attempt": 1,
        "created_at": NOW,
        "updated_at": NOW,
        "outputs": outputs,
    }
    return TaskRecord(**(fields | changes))


def state(
    tasks: dict[str, TaskStatus], template: str = "microservice-rest-api", **parameters: Any
) -> WorkflowState:
    workflow = WorkflowRecord(
        workflow_id="wf-1",
        template=template,
        parameters=parameters or {"serviceName": "orders-api", "environment": "dev"},
        requested_by="user:default/jane",
        via="backstage",
        created_at=NOW,
        updated_at=NOW,
        links={"repository": REPO, "commit": COMMIT},
    )
    return WorkflowState(workflow=workflow, tasks=tuple(task(t, s) for t, s in tasks.items()))


def completed(seconds: float = 41) -> WorkflowCompleted:
    return WorkflowCompleted(workflow_id="wf-1", summary="4 tasks succeeded", duration_seconds=seconds)


def failed(reason: str = "DOCKER-001: base image python:latest is not pinned") -> WorkflowFailed:
    return WorkflowFailed(workflow_id="wf-1", reason=reason, duration_seconds=75)


ALL_DONE = dict.fromkeys(("codegen", "policy", "deploy", "verify"), TaskStatus.SUCCEEDED)
