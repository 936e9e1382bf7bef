"""The local Lambda runner's queue calls are Lambda's, not the function's (issue 16).

In AWS, Lambda's SQS event source mapping receives and deletes a function's messages; the local runner
plays it, and the call log (AGENTIC_AWS_CALL_LOG) marks those calls ``event-source-mapping`` so a count
of the platform's own calls lists them apart. The handler's own calls, and a Fargate worker's deletes,
stay unmarked. Checked on the local AWS, with the project's botocore hook.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agentic_common.aws import EVENT_SOURCE_MAPPING, AwsClients
from agentic_common.poller import QueuePoller
from agentic_common.settings import CommonSettings
from agentic_local.lambda_runner import run_event_source

WAIT_SECONDS = 30.0


@pytest.fixture
def logged(aws_settings: CommonSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An SQS client whose every call is logged, and a fresh queue on the local AWS."""
    monkeypatch.setenv("AGENTIC_AWS_CALL_LOG", str(tmp_path / "aws-calls.log"))
    sqs = AwsClients(aws_settings).client("sqs")
    url = sqs.create_queue(QueueName=f"esm-calls-{uuid.uuid4().hex[:10]}")["QueueUrl"]
    yield sqs, url, tmp_path / "aws-calls.log"
    sqs.delete_queue(QueueUrl=url)


def lines(log: Path) -> list[list[str]]:
    return [line.split(" ") for line in log.read_text().splitlines()]


def test_the_runner_marks_its_receives_and_deletes_and_not_the_handlers_own_calls(logged) -> None:
    # Given a queue with one message and a function that makes one AWS call of its own
    sqs, url, log = logged
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": 1}))
    handled = threading.Event()

    def handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        sqs.list_queues(QueueNamePrefix="esm-calls-")
        handled.set()
        return {"batchItemFailures": []}

    stop = threading.Event()
    runner = threading.Thread(
        target=run_event_source,
        args=(sqs, url, handler, "us-east-1"),
        kwargs={"function_name": "f", "stop": stop, "batch_size": 1},
    )
    log.write_text("")
    # When the local Lambda runner takes the message
    runner.start()
    try:
        assert handled.wait(WAIT_SECONDS)
    finally:
        stop.set()
        runner.join()

    # Then its receives and its delete are marked as the event source mapping's; the handler's call is not
    calls = lines(log)
    marked = {call[0] for call in calls if call[2:] == [EVENT_SOURCE_MAPPING]}
    unmarked = {call[0] for call in calls if len(call) == 2}
    assert {"sqs.ReceiveMessage", "sqs.DeleteMessageBatch"} <= marked
    assert "sqs.ListQueues" in unmarked
    assert not {"sqs.ReceiveMessage", "sqs.DeleteMessageBatch"} & unmarked
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None


def test_a_workers_own_poller_deletes_are_the_platforms(logged) -> None:
    # Given a Fargate worker's poller (its deletes are its own calls, in AWS as here)
    sqs, url, log = logged
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": 2}))
    poller = QueuePoller(sqs, url, lambda _event, _context: {"batchItemFailures": []}, "us-east-1")
    log.write_text("")
    # When it receives and handles the message
    messages = poller.receive()
    assert poller.handle(messages) == 0
    # Then neither call is marked
    assert lines(log) == [
        ["sqs.ReceiveMessage", lines(log)[0][1]],
        ["sqs.DeleteMessageBatch", lines(log)[0][1]],
    ]
