"""Turn a validated template request into workflow and task records (the DAG)."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from agentic_common.state import TaskRecord, WorkflowRecord

from agentic_planner.logic.catalogue_models import Template


def new_workflow_id() -> str:
    return f"wf-{uuid.uuid4().hex[:20]}"


def request_digest(body: dict[str, Any]) -> str:
    """The digest an Idempotency-Key is bound to: canonical JSON of the request body."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def plan(
    template: Template,
    parameters: dict[str, Any],
    requested_by: str,
    now: datetime,
    workflow_id: str,
    *,
    digest: str | None = None,
    traceparent: str | None = None,
    via: str | None = None,
) -> tuple[WorkflowRecord, list[TaskRecord]]:
    workflow = WorkflowRecord(
        workflow_id=workflow_id,
        template=template.name,
        parameters=parameters,
        requested_by=requested_by,
        via=via,
        created_at=now,
        updated_at=now,
        request_digest=digest,
        traceparent=traceparent,
    )
    tasks = [
        TaskRecord(
            workflow_id=workflow_id,
            task_id=t.id,
            agent=t.agent,
            action=t.action,
            depends_on=t.depends_on,
            max_attempts=t.max_attempts,
            timeout_seconds=t.timeout_seconds,
            created_at=now,
            updated_at=now,
        )
        for t in template.tasks
    ]
    return workflow, tasks
