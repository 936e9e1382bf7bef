"""What the planner asks of the local AWS, counted per call (issue 16): a created workflow costs one
transaction and one PutEvents, and an idle sweep costs nothing. Counted by the project's botocore
``before-call`` hook (``AGENTIC_AWS_CALL_LOG``), in a planner built as the Lambda builds it, on its
own tables (so other tests' workflows are not due here)."""

from __future__ import annotations

import collections
import dataclasses
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.settings import CommonSettings
from agentic_common.topology import default_topology
from agentic_local.provision import provision
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event

ENV = "callcount"
BODY = {
    "template": "microservice-rest-api",
    "parameters": {"serviceName": "counted-api", "language": "python", "environment": "dev"},
}


@pytest.fixture(scope="module")
def own_tables(aws_settings: CommonSettings) -> str:
    settings = CommonSettings(agentic_env=ENV, aws_endpoint_url=aws_settings.aws_endpoint_url)
    provision(default_topology(), settings, AwsClients(settings))
    return ENV


@pytest.fixture
def counted(
    own_tables: str, aws_settings: CommonSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Planner, Callable[[], collections.Counter[str]]]:
    """A planner whose every AWS call is logged; the callable returns (and forgets) the calls so far."""
    log = tmp_path / "aws-calls.log"
    monkeypatch.setenv("AGENTIC_AWS_CALL_LOG", str(log))
    planner = build(
        PlannerSettings(
            agentic_env=own_tables, aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )

    def calls() -> collections.Counter[str]:
        lines = log.read_text().splitlines() if log.exists() else []
        seen = collections.Counter(line.split(" ")[0] for line in lines)  # "<service>.<op> <process>"
        log.write_text("")
        return seen

    return planner, calls


def post(planner: Planner, body: dict[str, object]) -> dict[str, Any]:
    response = planner.handle_api(api_event("POST", "/workflows", body), None)
    assert response["statusCode"] == 201, response["body"]
    return dict(json.loads(response["body"]))


def test_creating_a_workflow_costs_one_transaction_one_putevents_and_no_reload(counted) -> None:
    # Given a planner whose service name is already held (the request's conditional write of the name is
    # refused and returns its holder: no read)
    planner, calls = counted
    post(planner, BODY)
    calls()
    # When a workflow is created
    created = post(planner, BODY)
    # Then its first task is running, and it took one transaction, one PutEvents (workflow.created
    # with task.created) and one conditional write clearing the outbox: no load, no second publish
    assert created["tasks"][0]["status"] == "running"
    assert calls() == {
        "dynamodb.TransactWriteItems": 1,
        "events.PutEvents": 1,
        "dynamodb.PutItem": 2,  # the service name (refused: held, by this same kind of service), the outbox
    }


def test_a_new_service_name_is_taken_in_one_write_without_a_read(counted) -> None:
    planner, calls = counted
    calls()
    body = BODY | {"parameters": BODY["parameters"] | {"serviceName": f"fresh-{uuid.uuid4().hex[:8]}"}}
    post(planner, body)
    assert calls() == {"dynamodb.TransactWriteItems": 1, "events.PutEvents": 1, "dynamodb.PutItem": 2}


def test_a_sweep_with_nothing_due_makes_no_aws_call(counted) -> None:
    # Given a planner whose first sweep has looked at everything (workflows left from earlier runs)
    planner, calls = counted
    planner.service.sweep()
    calls()
    # When it sweeps again and again, as the local stack does every second
    for _ in range(5):
        planner.service.sweep()
    # Then not one AWS call was made
    assert calls() == {}


def test_an_attempt_that_outlives_its_timeout_is_found_through_the_due_index(counted) -> None:
    # Given a workflow whose codegen attempt is running, and a sweep that has looked once
    planner, calls = counted
    workflow_id = post(planner, BODY)["workflowId"]
    planner.service.sweep()
    codegen = next(t for t in planner.service.store.load(str(workflow_id)).tasks if t.task_id == "codegen")
    started = datetime.now(UTC)  # codegen's task.started: the timeout counts from here
    planner.service.apply(str(workflow_id), lambda engine: engine.started("codegen", 1, started))
    # When the clock passes the attempt's timeout and the sweep runs
    later = datetime.now(UTC) + timedelta(seconds=codegen.timeout_seconds + 5)
    planner.service.clock = lambda: later
    calls()
    planner.service.sweep()
    # Then the attempt is failed for a retry, found by one read of the due index
    swept = planner.service.store.load(str(workflow_id))
    assert swept is not None
    task = swept.task("codegen")
    assert (task.status.value, task.error) == (
        "ready",
        f"attempt 1 timed out after {task.timeout_seconds}s with no result",
    )
    assert calls()["dynamodb.Query"] >= 1


def test_every_logged_call_names_the_process_that_made_it(
    own_tables: str, aws_settings: CommonSettings, tmp_path: Path
) -> None:
    # Given a process started as the local stack starts a service (its name the last argument)
    log = tmp_path / "aws-calls.log"
    endpoint = aws_settings.aws_endpoint_url
    code = (
        "from agentic_common.aws import AwsClients; from agentic_common.settings import CommonSettings; "
        f"AwsClients(CommonSettings(agentic_env={own_tables!r}, aws_endpoint_url={endpoint!r}))"
        ".client('sqs').list_queues()"
    )
    # When it makes an AWS call with the call log on
    subprocess.run(
        [sys.executable, "-c", code, "remediation"],
        check=True,
        env={**os.environ, "AGENTIC_AWS_CALL_LOG": str(log)},
    )
    # Then the call's line names the operation and that process
    assert log.read_text().splitlines() == ["sqs.ListQueues remediation"]


def test_a_workflows_planner_steps_read_the_workflow_once_and_never_what_they_wrote(counted) -> None:
    # Given a workflow created through the API (as the planner-api process does)
    planner, calls = counted
    service = planner.service
    created = post(planner, BODY)
    workflow_id = str(created["workflowId"])
    first = next(t for t in created["tasks"] if t["status"] == "running")
    running: tuple[str, int] | None = (first["taskId"], first["attempt"])
    assert service.known.get(workflow_id) is None  # a creation is not remembered (the API's process)
    calls()
    # When each task is started and completed in turn, as the agents' events are applied
    steps = 0
    while running is not None:
        task_id, attempt = running
        service.apply(workflow_id, lambda e, t=task_id, a=attempt: e.started(t, a, datetime.now(UTC)))
        service.apply(workflow_id, lambda e, t=task_id, a=attempt: e.complete(t, a, {}))
        steps += 1
        running = _running(service, workflow_id)
    # Then it completed; the first event read the workflow, none after it read back what this planner
    # wrote; each event cost one conditional write, a completion also its PutEvents and the outbox's
    # clearing (the loop's own looks are not counted)
    seen = calls()
    assert service.store.load(workflow_id).workflow.status.value == "completed"
    assert steps >= 3
    assert seen == {
        "dynamodb.Query": 1,
        "dynamodb.TransactWriteItems": 2 * steps,
        "events.PutEvents": steps,
        "dynamodb.PutItem": steps,
    }


def _running(service: Any, workflow_id: str) -> tuple[str, int] | None:
    """The task now running and its attempt, from what the planner remembers (no AWS call)."""
    state = service.known.get(workflow_id)
    running = [t for t in state.tasks if t.status.value == "running"]
    return (running[0].task_id, running[0].attempt) if running else None


def test_a_stale_memory_costs_one_refused_write_and_the_event_still_applies(counted) -> None:
    # Given a workflow this planner remembers, changed since by another planner process
    planner, calls = counted
    workflow_id = str(post(planner, BODY)["workflowId"])
    planner.service.apply(workflow_id, lambda e: e.dispatch_ready())  # a no-op it now remembers
    elsewhere = dataclasses.replace(planner.service)  # another process: same tables, its own memory
    codegen = next(t for t in planner.service.known.get(workflow_id).tasks if t.task_id == "codegen")
    elsewhere.apply(workflow_id, lambda e: e.started("codegen", codegen.attempt, datetime.now(UTC)))
    calls()
    # When this planner applies codegen's completion from its memory
    planner.service.apply(workflow_id, lambda e: e.complete("codegen", codegen.attempt, {}))
    # Then the first write is refused, the workflow read, and the completion committed on it
    seen = calls()
    assert seen["dynamodb.TransactWriteItems"] == 2
    assert seen["dynamodb.Query"] == 1
    state = planner.service.store.load(workflow_id)
    assert state.task("codegen").status.value == "succeeded"
    assert state.task("codegen").agent_started_at is not None  # the other process's change is kept
