"""An agent's ``task.started`` reaches the planner over the local AWS and starts the attempt's clock.

Real parts: the planner built from settings (DynamoDB state, EventBridge, its planner-events queue),
a task agent publishing to the bus, the topology's rule routing the start to the planner.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from agentic_common.agent import TaskAgent, WorkResult
from agentic_common.aws import AwsClients
from agentic_common.bus import EventBridgePublisher
from agentic_common.events import Envelope
from agentic_common.events.tasks import TaskCreated
from agentic_common.idempotency import DynamoDBClaimStore
from agentic_common.poller import QueuePoller
from agentic_common.settings import CommonSettings
from agentic_common.state import TaskRecord
from agentic_common.topology import default_topology
from agentic_planner.bootstrap import build
from agentic_planner.logic.create import CreateRequest, create_workflow
from agentic_planner.settings import PlannerSettings
from pydantic import BaseModel

PUMPS = 30


class Seen(BaseModel):
    agent_started_at: str


def test_the_start_an_agent_reports_is_recorded_on_the_attempt_before_its_result(
    tmp_path: Path, aws_settings: CommonSettings, aws_clients: AwsClients, empty_queues: dict[str, str]
) -> None:
    # Given a workflow the planner created (its codegen attempt 1 dispatched) and a codegen agent on the bus
    settings = PlannerSettings(
        agentic_env=aws_settings.agentic_env,
        aws_endpoint_url=aws_settings.aws_endpoint_url,
        agentic_home=tmp_path,
    )
    planner = build(settings)
    service = f"started-{uuid.uuid4().hex[:6]}"
    request = CreateRequest(
        requested_by="developer@agentic.local",
        template="microservice-rest-api",
        parameters={"serviceName": service, "language": "python", "environment": "dev"},
    )
    workflow_id = create_workflow(planner.service, request, request.parameters).state.workflow.workflow_id
    dispatched = codegen_task(planner, workflow_id)
    planner_queue = QueuePoller(
        aws_clients.client("sqs"), empty_queues["planner-events"], planner.consumer.handle_batch, "us-east-1"
    )
    seen: list[TaskRecord] = []

    def work(task: TaskCreated) -> WorkResult:
        for _ in range(PUMPS):  # the planner reads its queue while the agent works
            planner_queue.handle(planner_queue.receive())
            if (current := codegen_task(planner, workflow_id)).agent_started_at is not None:
                seen.append(current)
                break
        return WorkResult(outputs=Seen(agent_started_at=str(seen[0].agent_started_at if seen else None)))

    bus = aws_settings.name(default_topology().bus)
    publisher = EventBridgePublisher(aws_clients.client("events"), bus, "codegen")
    claims = DynamoDBClaimStore(aws_clients.client("dynamodb"), aws_settings.name("idempotency"))
    agent = TaskAgent("codegen", work, publisher, claims, tasks=planner.service.store, starts=publisher)
    task = TaskCreated(
        workflow_id=workflow_id,
        task_id="codegen",
        agent="codegen",
        action=dispatched.action,
        attempt=dispatched.attempt,
        timeout_seconds=dispatched.timeout_seconds,
        template="microservice-rest-api",
        parameters=request.parameters,
    )

    # When the agent handles the attempt
    agent.handle(Envelope(source="agentic.planner", detail_type=TaskCreated.DETAIL_TYPE, detail=task))

    # Then, while it worked, the planner recorded its start on attempt 1, after the dispatch
    [during] = seen
    assert (during.attempt, during.status.value) == (1, "running")
    assert dispatched.started_at is not None
    assert during.agent_started_at is not None
    assert dispatched.started_at <= during.agent_started_at


def codegen_task(planner: Any, workflow_id: str) -> TaskRecord:
    state = planner.service.store.load(workflow_id)
    assert state is not None
    task: TaskRecord = state.task("codegen")
    return task
