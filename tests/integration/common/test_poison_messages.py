"""Poison messages on the local AWS: rejected or dead-lettered after 3 receives, and the workflow fails."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from agentic_common.consumer import Consumer
from agentic_common.events import Envelope
from agentic_common.poller import QueuePoller
from agentic_common.state import WorkflowStatus
from agentic_common.topology import default_topology
from agentic_local.pipes import LocalPipe
from agentic_planner.bootstrap import build
from agentic_planner.logic.create import CreateRequest, create_workflow
from agentic_planner.settings import PlannerSettings


def _receive_all(sqs: Any, url: str, wait: int = 1) -> list[dict[str, Any]]:
    return sqs.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=10,
        WaitTimeSeconds=wait,
        MessageAttributeNames=["All"],
        AttributeNames=["All"],
    ).get("Messages", [])


@pytest.fixture
def planner(empty_queues: dict[str, str], aws_settings: Any, tmp_path: Path) -> Any:
    settings = PlannerSettings(
        agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
    )
    return build(settings)


def _broken_codegen(planner: Any) -> Consumer:
    def explode(envelope: Envelope) -> None:
        raise RuntimeError("template engine crashed")

    consumer: Consumer = planner.consumer
    queue = default_topology().queue("codegen-tasks.fifo")  # codegen's own queue: FIFO, grouped by service
    from agentic_common.consumer import SqsQueueOps  # noqa: PLC0415

    return replace(
        consumer,
        service="codegen",
        queue=queue,
        handle=explode,
        retry_delay=lambda _: 0,
        queue_ops=SqsQueueOps(
            planner_sqs(planner),
            _url(planner, queue.dlq_name),
            _url(planner, queue.name),
            fifo=True,
        ),
    )


def planner_sqs(planner: Any) -> Any:
    return planner.consumer.queue_ops._sqs


def _url(planner: Any, logical: str) -> str:
    return planner_sqs(planner).get_queue_url(QueueName=f"agentic-test-{logical}")["QueueUrl"]


def test_a_task_whose_handler_always_fails_is_dead_lettered_after_3_receives_and_fails_its_workflow(
    planner: Any, empty_queues: dict[str, str], aws_clients: Any, aws_settings: Any
) -> None:
    # Given a workflow whose codegen task.created reaches a codegen consumer that always crashes
    request = CreateRequest(
        requested_by="dev@x.io",
        template="microservice-rest-api",
        parameters={"serviceName": "poison-svc", "language": "python", "environment": "dev"},
    )
    workflow_id = create_workflow(planner.service, request, {"p": 1}).state.workflow.workflow_id
    sqs = aws_clients.client("sqs")
    codegen = _broken_codegen(planner)
    [spec] = default_topology().pipes  # the task reaches codegen's queue through the pipe, as in AWS
    LocalPipe(sqs, spec, empty_queues.__getitem__, "codegen-inbox-dlq", wait_seconds=0).move()
    poller = QueuePoller(
        sqs, empty_queues["codegen-tasks.fifo"], codegen.handle_batch, "us-east-1", batch_size=1
    )
    # When it is received three times
    failures = 0
    for _ in range(3):
        failures += poller.handle(poller.receive())
    # Then two receives failed for a retry, and the third moved it to the DLQ with the error as reason
    assert failures == 2
    assert poller.receive() == []
    dead = _receive_all(sqs, empty_queues["codegen-tasks-dlq.fifo"])
    assert len(dead) == 1
    assert json.loads(dead[0]["Body"])["detail"]["workflow_id"] == workflow_id
    assert "template engine crashed" in dead[0]["MessageAttributes"]["reason"]["StringValue"]
    # And the planner, reading its queue, fails the workflow with a reason a person can read
    planner_poller = QueuePoller(
        sqs, empty_queues["planner-events"], planner.consumer.handle_batch, "us-east-1"
    )
    planner_poller.handle(planner_poller.receive())
    state = planner.service.store.load(workflow_id)
    assert state.workflow.status == WorkflowStatus.FAILED
    assert "after 3 attempts" in state.workflow.reason
    assert "template engine crashed" in state.workflow.reason
    assert {t.task_id: t.status.value for t in state.tasks}["deploy"] == "skipped"


def test_an_invalid_event_is_rejected_to_the_dlq_at_once_with_its_reason(
    planner: Any, empty_queues: dict[str, str], aws_clients: Any
) -> None:
    # Given a message that fails its schema, for a known workflow
    sqs = aws_clients.client("sqs")
    body = json.dumps(
        {
            "version": "0",
            "id": "1",
            "source": "agentic.codegen",
            "detail-type": "task.completed",
            "detail": {"workflow_id": "wf-unknown", "task_id": "codegen", "attempt": "many"},
        }
    )
    sqs.send_message(QueueUrl=empty_queues["planner-events"], MessageBody=body)
    poller = QueuePoller(sqs, empty_queues["planner-events"], planner.consumer.handle_batch, "us-east-1")
    # When the planner receives it once
    assert poller.handle(poller.receive()) == 0
    # Then it sits in the DLQ with a readable reason, and a dead-letter report was published
    dead = _receive_all(sqs, empty_queues["planner-events-dlq"])
    reason = dead[0]["MessageAttributes"]["reason"]["StringValue"]
    assert "task.completed is invalid" in reason
    assert "attempt" in reason
    assert "agent" in reason
    reports = [json.loads(m["Body"]) for m in _receive_all(sqs, empty_queues["planner-events"])]
    assert [r["detail-type"] for r in reports] == ["message.dead_lettered"]
    assert reports[0]["detail"]["workflow_id"] == "wf-unknown"
