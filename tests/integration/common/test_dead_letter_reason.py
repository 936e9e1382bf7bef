"""A dead-lettered message carries its last real error as its reason, on the local AWS.

Two ways a message dies: the handler fails on every receive (the consumer dead-letters it on the
last one), or the whole batch crashes before any handler runs (the local Lambda runner and the
Fargate worker do, through one poller helper).
Either way the DLQ message's ``reason`` attribute says what went wrong, not only "failed 3 receives".
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from agentic_common.consumer import Consumer
from agentic_common.events import Envelope
from agentic_common.events.tasks import TaskCompleted
from agentic_common.poller import QueuePoller
from agentic_common.worker import Worker
from agentic_local.lambda_runner import LambdaContext, invoke
from agentic_planner.bootstrap import build
from agentic_planner.settings import PlannerSettings

from tests.helpers import eventbridge_body


@pytest.fixture
def consumer(empty_queues: dict[str, str], aws_settings: Any, tmp_path: Path) -> Consumer:
    settings = PlannerSettings(
        agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
    )
    return build(settings).consumer


def _send_task_result(sqs: Any, queue_url: str) -> None:
    event = TaskCompleted(
        workflow_id="wf-dlq-reason", task_id="codegen", attempt=1, agent="codegen", outputs={}
    )
    sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge_body(event, "codegen"))


def _dead_letters(sqs: Any, url: str) -> list[dict[str, Any]]:
    return sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, MessageAttributeNames=["All"]
    ).get("Messages", [])


def test_a_message_failing_on_every_receive_is_dead_lettered_with_its_last_error(
    consumer: Consumer, empty_queues: dict[str, str], aws_clients: Any
) -> None:
    # Given a planner consumer whose handler fails differently on each receive
    sqs = aws_clients.client("sqs")
    attempts: list[int] = []

    def flaky(envelope: Envelope) -> None:
        attempts.append(1)
        raise ConnectionError(f"attempt {len(attempts)}: connection reset by the state store")

    failing = replace(consumer, handle=flaky, retry_delay=lambda _: 0)
    _send_task_result(sqs, empty_queues["planner-events"])
    poller = QueuePoller(sqs, empty_queues["planner-events"], failing.handle_batch, "us-east-1")
    # When it is received three times (the queue's maxReceiveCount)
    for _ in range(3):
        poller.handle(poller.receive())
    # Then the DLQ holds it with the third error as its reason
    [dead] = _dead_letters(sqs, empty_queues["planner-events-dlq"])
    reason = dead["MessageAttributes"]["reason"]["StringValue"]
    assert "attempt 3: connection reset by the state store" in reason
    assert "after 3 attempts" in reason
    # And the dead-letter report published for the planner carries the same reason
    [report] = [json.loads(m["Body"]) for m in _dead_letters(sqs, empty_queues["planner-events"])]
    assert report["detail-type"] == "message.dead_lettered"
    assert report["detail"]["reason"] == reason


def test_a_very_long_error_still_makes_a_valid_dead_letter_report(
    consumer: Consumer, empty_queues: dict[str, str], aws_clients: Any
) -> None:
    # Given a handler whose error is 5,000 characters long
    sqs = aws_clients.client("sqs")

    def verbose(envelope: Envelope) -> None:
        raise RuntimeError("x" * 5000)

    failing = replace(consumer, handle=verbose, retry_delay=lambda _: 0)
    _send_task_result(sqs, empty_queues["planner-events"])
    poller = QueuePoller(sqs, empty_queues["planner-events"], failing.handle_batch, "us-east-1")
    # When it dies after three receives
    for _ in range(3):
        poller.handle(poller.receive())
    # Then its reason is shortened to the report's bound, saying how much was cut
    [dead] = _dead_letters(sqs, empty_queues["planner-events-dlq"])
    reason = dead["MessageAttributes"]["reason"]["StringValue"]
    assert len(reason) <= 2000
    assert reason.endswith("more characters)")


def test_a_crashing_lambda_invocation_dead_letters_the_last_receive_with_the_crash(
    empty_queues: dict[str, str], aws_clients: Any
) -> None:
    # Given a Lambda whose handler cannot even start
    sqs = aws_clients.client("sqs")

    def crash(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise ImportError("No module named 'agentic_planner.catalogue.templates'")

    _send_task_result(sqs, empty_queues["planner-events"])
    poller = QueuePoller(sqs, empty_queues["planner-events"], crash, "us-east-1")
    # When the local runner invokes it on each of three receives
    for receive in (1, 2, 3):
        messages = poller.receive()
        invoke(poller, messages, LambdaContext("planner-events", 60))
        if receive < 3:
            poller.extend_visibility(messages, 0)  # its visibility timeout runs out: visible again
    # Then the message left the queue for the DLQ, with the crash as its reason
    assert poller.receive() == []
    [dead] = _dead_letters(sqs, empty_queues["planner-events-dlq"])
    reason = dead["MessageAttributes"]["reason"]["StringValue"]
    assert reason == (
        "planner-events invocation failed: ImportError: No module named 'agentic_planner.catalogue.templates'"
    )


@pytest.fixture
def crash_queue(aws_clients: Any, queue_urls: dict[str, str]) -> Iterator[tuple[str, str]]:
    """A queue of its own (visible again at once, DLQ after 3 receives), so a worker loop can spin on it."""
    sqs = aws_clients.client("sqs")
    name = f"agentic-test-worker-crash-{uuid.uuid4().hex[:8]}"
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "0", "RedrivePolicy": redrive})[
        "QueueUrl"
    ]
    yield url, dlq_url
    sqs.delete_queue(QueueUrl=url)
    sqs.delete_queue(QueueUrl=dlq_url)


def test_a_fargate_worker_whose_batch_crashes_dead_letters_the_last_receive_with_the_crash(
    crash_queue: tuple[str, str], aws_clients: Any
) -> None:
    # Given a Fargate worker whose batch handler crashes as a whole, with a credential in its error
    sqs = aws_clients.client("sqs")
    url, dlq_url = crash_queue

    def crash(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise ConnectionError("state store unreachable with Authorization: Bearer abcdefghijklmnop")

    worker = Worker(sqs, url, crash, "us-east-1", visibility_timeout=30)
    _send_task_result(sqs, url)

    # When its loop runs until the message has left the queue
    loop = threading.Thread(target=worker.run, daemon=True)
    loop.start()
    try:
        dead = _wait_for_dead_letters(sqs, dlq_url)
    finally:
        worker.stop.set()
        loop.join(timeout=30)

    # Then the DLQ holds it with the crash (redacted) as its reason
    [message] = dead
    reason = message["MessageAttributes"]["reason"]["StringValue"]
    queue = url.rsplit("/", 1)[-1]
    assert reason == f"worker batch on {queue} failed: ConnectionError: state store unreachable with " + (
        "Authorization: Bearer ***"
    )


def _wait_for_dead_letters(sqs: Any, dlq_url: str, receives: int = 30) -> list[dict[str, Any]]:
    for _ in range(receives):
        if found := _dead_letters(sqs, dlq_url):
            return found
    return []
