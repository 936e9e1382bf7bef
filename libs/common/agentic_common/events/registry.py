"""Detail-type → model registry, and parsing of events as SQS delivers them from EventBridge."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from agentic_common.events.approvals import ApprovalDecided, ApprovalRequested
from agentic_common.events.codegen import CodegenCompleted
from agentic_common.events.delivery import MessageDeadLettered
from agentic_common.events.deployment import DeploymentCompleted
from agentic_common.events.envelope import SOURCE_PREFIX, Envelope, EventDetail
from agentic_common.events.observability import AnomalyDetected
from agentic_common.events.planner import WorkflowCompleted, WorkflowCreated, WorkflowFailed
from agentic_common.events.policy import PolicyValidated, PolicyViolated
from agentic_common.events.remediation import (
    RemediationActionCompleted,
    RemediationActionRequested,
    RemediationEscalated,
    RemediationRecommended,
)
from agentic_common.events.tasks import TaskCompleted, TaskCreated, TaskFailed, TaskStarted

EVENT_MODELS: dict[str, type[EventDetail]] = {
    model.DETAIL_TYPE: model
    for model in (
        WorkflowCreated,
        WorkflowCompleted,
        WorkflowFailed,
        TaskCreated,
        TaskStarted,
        TaskCompleted,
        TaskFailed,
        CodegenCompleted,
        PolicyValidated,
        PolicyViolated,
        DeploymentCompleted,
        AnomalyDetected,
        RemediationRecommended,
        RemediationActionRequested,
        RemediationActionCompleted,
        RemediationEscalated,
        MessageDeadLettered,
        ApprovalRequested,
        ApprovalDecided,
    )
}


class InvalidEventError(ValueError):
    """A message that can never be processed: the reason says what is wrong, for people."""

    def __init__(self, reason: str, workflow_id: str | None = None, detail_type: str = "unknown") -> None:
        super().__init__(reason)
        self.reason = reason
        self.workflow_id = workflow_id
        self.detail_type = detail_type


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:10]:
        where = ".".join(str(part) for part in item["loc"]) or "detail"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def parse_eventbridge_message(body: str) -> Envelope:
    """Parse an SQS body holding an EventBridge event into a typed envelope.

    Raises ``InvalidEventError`` (never anything else) with a readable reason.
    """
    try:
        raw: Any = json.loads(body)
    except json.JSONDecodeError as exc:
        raise InvalidEventError(f"message body is not JSON ({exc.msg} at position {exc.pos})") from exc
    if not isinstance(raw, dict):
        raise InvalidEventError("message body is not a JSON object")
    detail_type = raw.get("detail-type")
    source = raw.get("source")
    detail = raw.get("detail")
    workflow_id = detail.get("workflow_id") if isinstance(detail, dict) else None
    workflow_id = workflow_id if isinstance(workflow_id, str) and workflow_id else None
    if not isinstance(source, str) or not source.startswith(SOURCE_PREFIX):
        raise InvalidEventError(f"source {source!r} is not an agentic.<service> source", workflow_id)
    model = EVENT_MODELS.get(detail_type) if isinstance(detail_type, str) else None
    if model is None:
        known = ", ".join(sorted(EVENT_MODELS))
        raise InvalidEventError(f"unknown detail-type {detail_type!r}; known: {known}", workflow_id)
    if not isinstance(detail, dict):
        raise InvalidEventError(f"{detail_type}: detail is not a JSON object", workflow_id, str(detail_type))
    try:
        parsed = model.model_validate(detail)
    except ValidationError as exc:
        raise InvalidEventError(
            f"{detail_type} is invalid: {_describe(exc)}", workflow_id, str(detail_type)
        ) from exc
    return Envelope(source=source, detail_type=detail_type, detail=parsed)
