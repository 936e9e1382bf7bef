"""Local Lambda runtime: long-poll a Lambda service's queue and invoke its real handler.

It builds the SQS event Lambda would build and deletes only what the handler did not report in
``batchItemFailures`` (the shared ``QueuePoller`` does both), like the SQS event source mapping.
One difference: when an invocation fails as a whole, a message on its last allowed receive is moved
to the DLQ with the error as its ``reason`` (in AWS, SQS moves it later with no reason; the
function's log has the error).

Like Lambda, a function runs several invocations at once (``concurrency``, AGENTIC_LAMBDA_CONCURRENCY),
each with its own context; the first runs alone, as the cold start that builds what the handler
keeps for the life of its process (its consumer: stateless per invocation, a new batch processor
each call). On stop, the invocations in flight finish.

In AWS the event source mapping's ``ReceiveMessage`` and ``DeleteMessageBatch`` calls are Lambda's, not
the function's: here they are made in a ``calls_made_for(EVENT_SOURCE_MAPPING)`` block, so the call
log (AGENTIC_AWS_CALL_LOG) marks them and a count of the platform's own calls lists them apart.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

from agentic_common.aws import EVENT_SOURCE_MAPPING, calls_made_for
from agentic_common.concurrency import BoundedRunner
from agentic_common.poller import BatchHandler, QueuePoller

log = logging.getLogger(__name__)


class LambdaContext:
    def __init__(self, function_name: str, timeout_seconds: int) -> None:
        self.function_name = function_name
        self.aws_request_id = uuid.uuid4().hex
        self.memory_limit_in_mb = 2048
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{function_name}"
        self._timeout_ms = timeout_seconds * 1000

    def get_remaining_time_in_millis(self) -> int:
        return self._timeout_ms


class EventSourceMapping(QueuePoller):
    """The queue poller with its own calls (receive, delete, dead-letter) marked as Lambda's; the
    handler's calls, made in between, stay the function's."""

    def receive(self) -> list[dict[str, Any]]:
        with calls_made_for(EVENT_SOURCE_MAPPING):
            return super().receive()

    def delete(self, messages: list[dict[str, Any]]) -> None:
        with calls_made_for(EVENT_SOURCE_MAPPING):
            super().delete(messages)

    def dead_letter_last_receives(self, messages: list[dict[str, Any]], reason: str) -> int:
        with calls_made_for(EVENT_SOURCE_MAPPING):  # in AWS, SQS's redrive policy moves them
            return super().dead_letter_last_receives(messages, reason)


def run_event_source(
    sqs: Any,
    queue_url: str,
    handler: BatchHandler,
    region: str,
    *,
    function_name: str,
    stop: threading.Event,
    batch_size: int = 10,
    timeout_seconds: int = 900,
    concurrency: int = 1,
) -> None:
    poller = EventSourceMapping(sqs, queue_url, handler, region, batch_size=batch_size, wait_seconds=1)
    BoundedRunner(
        poller,
        lambda messages: invoke(poller, messages, LambdaContext(function_name, timeout_seconds)),
        concurrency=concurrency,
        warm_first=True,
    ).run(stop)


def invoke(poller: QueuePoller, messages: list[dict[str, Any]], context: LambdaContext) -> None:
    """One invocation. As in Lambda, an invocation error fails the whole batch, which is redelivered;
    unlike Lambda, a message on its last receive goes to the DLQ with the error as its reason."""
    poller.handle_or_dead_letter(messages, f"{context.function_name} invocation failed", context)
