"""Request and response shapes of the planner API (camelCase, as in the reference design)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agentic_common.log_context import trace_id_of
from agentic_common.state import RemediationRecord, TaskRecord, WorkflowRecord, WorkflowState
from pydantic import BaseModel, ConfigDict, Field, model_validator


class CreateWorkflowBody(BaseModel):
    """Either a catalogue ``template`` with ``parameters``, or a free-text ``request``."""

    model_config = ConfigDict(extra="forbid")

    requestedBy: str | None = Field(  # noqa: N815
        default=None,
        min_length=3,
        max_length=254,
        pattern=r"^\S+$",
        description="Who asks: the token's subject (may be omitted). Another person only from a "
        "configured service principal acting for them (e.g. the Backstage backend).",
    )
    template: str | None = Field(default=None, max_length=100, examples=["microservice-rest-api"])
    parameters: dict[str, Any] = Field(default_factory=dict)
    request: str | None = Field(
        default=None,
        min_length=10,
        max_length=4000,
        description="Free text, planned by Claude when configured.",
    )

    replace: bool = Field(
        default=False,
        description="Move an existing service name to this request's language or pattern (otherwise "
        "a name that holds another language or pattern is a 409).",
    )

    @model_validator(mode="after")
    def _template_or_request(self) -> CreateWorkflowBody:
        if (self.template is None) == (self.request is None):
            raise ValueError("send exactly one of 'template' (with 'parameters') or 'request'")
        return self


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def task_view(task: TaskRecord, estimated_seconds: int | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "taskId": task.task_id,
        "agent": task.agent,
        "action": task.action,
        "status": task.status.value,
        "dependsOn": list(task.depends_on),
        "attempt": task.attempt,
        "maxAttempts": task.max_attempts,
        "startedAt": _iso(task.started_at),
        "agentStartedAt": _iso(task.agent_started_at),  # its agent's task.started (startedAt: dispatch)
        "finishedAt": _iso(task.finished_at),
        "error": task.error,
        "outputs": task.outputs,
    }
    if estimated_seconds is not None:
        view["estimatedDuration"] = f"{estimated_seconds}s"
    return view


def remediation_view(record: RemediationRecord) -> dict[str, Any]:
    return {
        "recommendationId": record.recommendation_id,
        "tier": record.tier,
        "playbook": record.playbook,
        "summary": record.summary,
        "trigger": record.trigger,
        "evidence": record.evidence,
        "recordedAt": _iso(record.recorded_at),
    }


def workflow_summary(workflow: WorkflowRecord) -> dict[str, Any]:
    return {
        "workflowId": workflow.workflow_id,
        "status": workflow.status.value,
        "template": workflow.template,
        "serviceName": workflow.parameters.get("serviceName"),
        "requestedBy": workflow.requested_by,
        "via": workflow.via,
        "createdAt": _iso(workflow.created_at),
        "completedAt": _iso(workflow.completed_at),
    }


def _in_plan_order(state: WorkflowState, estimates: dict[str, int]) -> list[TaskRecord]:
    order = {task_id: index for index, task_id in enumerate(estimates)}
    return sorted(state.tasks, key=lambda t: (order.get(t.task_id, len(order)), t.task_id))


def workflow_view(state: WorkflowState, estimates: dict[str, int] | None = None) -> dict[str, Any]:
    workflow = state.workflow
    estimates = estimates or {}
    duration = None
    if workflow.completed_at:
        total = int((workflow.completed_at - workflow.created_at).total_seconds())
        duration = f"{total // 60}m{total % 60:02d}s"
    return {
        **workflow_summary(workflow),
        "parameters": workflow.parameters,
        "updatedAt": _iso(workflow.updated_at),
        "duration": duration,
        "reason": workflow.reason,
        "links": workflow.links,
        "tasks": [task_view(t, estimates.get(t.task_id)) for t in _in_plan_order(state, estimates)],
        "remediations": [remediation_view(r) for r in state.remediations],
        "notifications": workflow.notifications,
        "traceId": trace_id_of(workflow.traceparent),
    }
