"""Small builders shared by tests: API Gateway v2 events, EventBridge-over-SQS records, tasks."""

from __future__ import annotations

import io
import json
import logging
import signal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from agentic_common.bus import to_entry
from agentic_common.events import EventDetail
from agentic_common.events.tasks import TaskCreated
from agentic_common.logs import JsonFormatter
from agentic_common.state import StateStore, TaskRecord, TaskStatus, WorkflowRecord
from agentic_common.state.memory import InMemoryStateStore


def api_event(
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
) -> dict[str, Any]:
    claims = {"sub": "dev@example.com"} if claims is None else claims
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": {"content-type": "application/json", **(headers or {})},
        "queryStringParameters": query,
        "requestContext": {
            "http": {"method": method, "path": path, "sourceIp": "127.0.0.1"},
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
            "authorizer": {"jwt": {"claims": claims, "scopes": None}} if claims else None,
        },
        "body": body if isinstance(body, str) or body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def eventbridge_body(detail: EventDetail, service: str) -> str:
    entry = to_entry("bus", service, detail)
    return json.dumps(
        {
            "version": "0",
            "id": uuid.uuid4().hex,
            "detail-type": entry["DetailType"],
            "source": entry["Source"],
            "account": "",
            "time": "2026-01-01T00:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": json.loads(entry["Detail"]),
        }
    )


def sqs_event(
    *bodies: str,
    receive_count: int = 1,
    queue_arn: str = "arn:aws:sqs:us-east-1:000000000000:q",
    group: str | None = None,
) -> dict[str, Any]:
    records = []
    for body in bodies:
        attributes = {"ApproximateReceiveCount": str(receive_count)}
        if group:
            attributes["MessageGroupId"] = group
        records.append(
            {
                "messageId": uuid.uuid4().hex,
                "receiptHandle": uuid.uuid4().hex,
                "body": body,
                "attributes": attributes,
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1",
            }
        )
    return {"Records": records}


# What each agent's usual task is called in the catalogue's templates, and the action it runs.
TASK_OF_AGENT = {
    "codegen": ("codegen", "generate"),
    "policy": ("policy", "scan-repository"),
    "deployment": ("deploy", "deploy"),
    "observability": ("verify", "verify"),
}


def task_created(agent: str = "codegen", **fields: Any) -> TaskCreated:
    """A ``task.created`` for ``agent``: its usual task and action, attempt 1 of workflow ``wf-1`` of
    microservice-rest-api, with no parameters, config or upstream; any field can be given instead."""
    task_id, action = TASK_OF_AGENT[agent]
    defaults: dict[str, Any] = {
        "workflow_id": "wf-1",
        "task_id": task_id,
        "agent": agent,
        "action": action,
        "attempt": 1,
        "timeout_seconds": 60,
        "template": "microservice-rest-api",
        "parameters": {},
    }
    return TaskCreated(**(defaults | fields))


def dispatched(
    store: StateStore, workflow_id: str, task_id: str = "codegen", attempt: int = 1, agent: str = "codegen"
) -> TaskRecord:
    """Record in ``store`` what the planner records when it dispatches ``attempt`` of a task: the
    workflow and the task, running that attempt. Agents run only the current attempt of a known task."""
    now = datetime.now(UTC)
    workflow = WorkflowRecord(
        workflow_id=workflow_id,
        template="microservice-rest-api",
        parameters={},
        requested_by="developer@agentic.local",
        created_at=now,
        updated_at=now,
    )
    task = TaskRecord(
        workflow_id=workflow_id,
        task_id=task_id,
        agent=agent,
        action="generate",
        status=TaskStatus.RUNNING,
        attempt=attempt,
        created_at=now,
        updated_at=now,
        started_at=now,
    )
    store.create_workflow(workflow, [task])
    return task


def planner_state(workflow_id: str, task_id: str = "codegen") -> InMemoryStateStore:
    """An in-memory planner state in which attempt 1 of the workflow's task is running (is current)."""
    store = InMemoryStateStore()
    dispatched(store, workflow_id, task_id)
    return store


@contextmanager
def json_log_lines(logger_name: str, service: str) -> Iterator[io.StringIO]:
    """What ``logger_name`` writes while the block runs, formatted as the services' JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(service))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def ignore_sigint() -> None:
    """A ``preexec_fn``: the child starts with SIGINT ignored, as a background job of a script (CI) does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def counted_client(settings: Any, service: str) -> tuple[Any, list[str]]:
    """A new boto3 client of ``service`` on the local AWS and the operations it calls, in order (a
    botocore hook on this client only)."""
    from agentic_common.aws import AwsClients  # noqa: PLC0415 - only the tests that count import boto3

    client = AwsClients(settings).client(service)
    calls: list[str] = []
    client.meta.events.register("before-call", lambda model, **_: calls.append(model.name))
    return client, calls
