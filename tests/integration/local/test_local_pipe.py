"""The codegen tasks' pipe on the local AWS: one service's tasks one at a time and in order, services apart.

Real parts: moto over the wire provisioned from the topology, the planner's task events published on the
bus (the rule routes them into ``codegen-inbox``), the local pipe moving them into ``codegen-tasks.fifo``
with each event's ``order_key`` as its message group, and receives one at a time as codegen's event source
makes them.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from agentic_common.aws import EVENTBRIDGE_PIPE, AwsClients
from agentic_common.bus import EventBridgePublisher
from agentic_common.events.tasks import TaskCreated
from agentic_common.settings import CommonSettings
from agentic_common.topology import Topology
from agentic_local.pipes import LocalPipe

from tests.helpers import task_created

PATIENCE = 30.0  # seconds before a wait gives up (a hang guard, not a measurement)


@pytest.fixture
def pipe(topology: Topology, empty_queues: dict[str, str], aws_clients: AwsClients) -> LocalPipe:
    [spec] = [p for p in topology.pipes if p.target_queue == "codegen-tasks.fifo"]
    source_dlq = topology.queue(spec.source_queue).dlq_name
    return LocalPipe(aws_clients.client("sqs"), spec, empty_queues.__getitem__, source_dlq, wait_seconds=0)


def publish(aws_clients: AwsClients, aws_settings: CommonSettings, *tasks: TaskCreated) -> None:
    bus = EventBridgePublisher(aws_clients.client("events"), aws_settings.name("agentic-bus"), "planner")
    for task in tasks:  # one PutEvents each, in order, as the planner's outbox sends a workflow's events
        bus.publish(task)


def move_all(pipe: LocalPipe, expected: int) -> None:
    moved, deadline = 0, time.monotonic() + PATIENCE
    while moved < expected:
        assert time.monotonic() < deadline, f"the pipe moved {moved} of {expected}"
        moved += pipe.move()


def take_one(sqs: Any, url: str) -> dict[str, Any] | None:
    """One receive of one message, as codegen's event source makes it (batch size 1)."""
    messages = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=0, AttributeNames=["All"]
    ).get("Messages", [])
    return messages[0] if messages else None


def detail(message: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(message["Body"])["detail"])


def test_one_services_tasks_run_one_at_a_time_in_order_and_another_service_is_not_held(
    pipe, empty_queues, aws_clients, aws_settings
) -> None:
    # Given two workflows changing the service "orders" and one changing "billing", published in that order
    first = task_created(workflow_id="wf-orders-1", order_key="orders")
    second = task_created(workflow_id="wf-orders-2", order_key="orders")
    other = task_created(workflow_id="wf-billing", order_key="billing")
    publish(aws_clients, aws_settings, first, second, other)
    # When the pipe moves them into codegen's queue
    move_all(pipe, 3)
    sqs, url = aws_clients.client("sqs"), empty_queues["codegen-tasks.fifo"]

    # Then codegen gets the first orders task and, while it runs, the billing task, but not the second
    # orders task: its group is busy
    running = take_one(sqs, url)
    assert running is not None
    assert detail(running)["workflow_id"] == "wf-orders-1"
    assert running["Attributes"]["MessageGroupId"] == "orders"
    beside = take_one(sqs, url)
    assert beside is not None
    assert detail(beside)["workflow_id"] == "wf-billing"
    assert take_one(sqs, url) is None
    # And once the first is done, the second orders task comes, with its body the planner's event as it was
    sqs.delete_message(QueueUrl=url, ReceiptHandle=running["ReceiptHandle"])
    following = take_one(sqs, url)
    assert following is not None
    assert detail(following)["workflow_id"] == "wf-orders-2"
    assert TaskCreated.model_validate(detail(following)).model_dump(exclude={"trace"}) == second.model_dump(
        exclude={"trace"}
    )  # the publisher adds its trace context
    # And nothing is left in the inbox
    assert take_one(sqs, empty_queues["codegen-inbox"]) is None


def test_the_same_event_twice_reaches_codegen_once(pipe, empty_queues, aws_clients, aws_settings) -> None:
    # Given the outbox sent one task event twice (a retry after a lost answer): the same event id
    task = task_created(workflow_id="wf-twice", order_key="twice")
    publish(aws_clients, aws_settings, task, task)
    # When the pipe moves both
    move_all(pipe, 2)
    # Then the FIFO queue deduplicated them by the event id
    sqs, url = aws_clients.client("sqs"), empty_queues["codegen-tasks.fifo"]
    message = take_one(sqs, url)
    assert message is not None
    assert detail(message)["event_id"] == task.event_id
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert take_one(sqs, url) is None


def test_an_event_without_an_order_key_goes_to_the_dlq_with_the_reason(
    pipe, empty_queues, aws_clients
) -> None:
    # Given a message in the inbox whose event has no order key (not a task the planner made)
    sqs = aws_clients.client("sqs")
    forged = {"source": "agentic.planner", "detail-type": "task.created", "detail": {"event_id": "evt-x"}}
    sqs.send_message(QueueUrl=empty_queues["codegen-inbox"], MessageBody=json.dumps(forged))
    # When the pipe takes it
    move_all(pipe, 1)
    # Then it is in the inbox's DLQ with the reason, and not in codegen's queue
    [dead] = sqs.receive_message(
        QueueUrl=empty_queues["codegen-inbox-dlq"], MessageAttributeNames=["All"], WaitTimeSeconds=0
    )["Messages"]
    reason = dead["MessageAttributes"]["reason"]["StringValue"]
    assert reason == "pipe codegen-by-service: the event has no string at $.body.detail.order_key"
    assert json.loads(dead["Body"]) == forged
    assert take_one(sqs, empty_queues["codegen-tasks.fifo"]) is None


def test_the_pipes_calls_are_marked_as_the_pipes(
    pipe, empty_queues, aws_settings, tmp_path, monkeypatch
) -> None:
    # Given every AWS call logged
    log = tmp_path / "aws-calls.log"
    monkeypatch.setenv("AGENTIC_AWS_CALL_LOG", str(log))
    clients = AwsClients(aws_settings)
    marked_pipe = LocalPipe(
        clients.client("sqs"), pipe.spec, empty_queues.__getitem__, "codegen-inbox-dlq", 0
    )
    publish(clients, aws_settings, task_created(workflow_id="wf-calls", order_key="calls"))
    log.write_text("")
    # When the pipe moves the task
    move_all(marked_pipe, 1)
    # Then its receive, send and delete are the pipe's (AWS makes them), not the platform's
    calls = [line.split(" ") for line in log.read_text().splitlines()]
    assert {c[0] for c in calls} >= {"sqs.ReceiveMessage", "sqs.SendMessageBatch", "sqs.DeleteMessageBatch"}
    assert all(c[2:] == [EVENTBRIDGE_PIPE] for c in calls), calls
