"""SQS consumption shared by every service: parse, trace, handle, report partial batch failures.

Delivery rules (ARCHITECTURE §3):
* an event that can never be processed (not JSON, unknown type, fails its schema) is rejected at
  once: moved to the queue's DLQ with a readable reason, and reported as ``message.dead_lettered``
  so the planner fails its workflow;
* a handler error leaves the message for redelivery (with a short backoff); on the last allowed
  receive the consumer reports ``message.dead_lettered`` with the error and moves the message to
  the DLQ itself, with that last error as its ``reason`` attribute (SQS's own redrive would carry
  no reason at all);
* a handler that refuses a well-formed event (``RefusedError``: a task for a workflow the planner
  never created) has it moved to the DLQ at once with the refusal as its reason; nothing is reported,
  so a forged message can never fail somebody's real workflow.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    SqsFifoPartialProcessor,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from agentic_common.bus import EventPublisher
from agentic_common.events import Envelope, InvalidEventError, parse_eventbridge_message
from agentic_common.events.delivery import MessageDeadLettered
from agentic_common.log_context import log_context, trace_id_of
from agentic_common.redact import redact
from agentic_common.telemetry import consumer_span
from agentic_common.topology import QueueSpec

log = logging.getLogger(__name__)
MAX_REASON_CHARS = 2000  # ``MessageDeadLettered.reason``'s bound


class RefusedError(Exception):
    """The handler will never process this event (retrying cannot help): dead-letter it now, with why."""


class QueueOps(Protocol):
    def reject(self, record: SQSRecord, reason: str) -> None:
        """Send the message to the queue's DLQ with ``reason`` as an attribute."""

    def retry_later(self, record: SQSRecord, delay_seconds: int) -> None: ...


@dataclass(frozen=True)
class Consumer:
    service: str
    queue: QueueSpec
    handle: Callable[[Envelope], None]
    publisher: EventPublisher
    queue_ops: QueueOps
    retry_delay: Callable[[int], int] = field(default=lambda receive_count: min(2**receive_count, 30))

    def process(self, record: SQSRecord) -> None:
        receive_count = int(record.attributes.approximate_receive_count or "1")
        try:
            envelope = parse_eventbridge_message(record.body)
        except InvalidEventError as exc:
            with log_context(workflow_id=exc.workflow_id):
                self._reject(record, exc, receive_count)
            return
        detail = envelope.detail
        attributes = {
            "messaging.message.id": record.message_id,
            "agentic.workflow_id": detail.workflow_id,
            "agentic.event_type": envelope.detail_type,
            "agentic.event_id": detail.event_id,
        }
        with (
            log_context(
                workflow_id=detail.workflow_id,
                task_id=detail.task_id,
                trace_id=trace_id_of(detail.trace.traceparent),
            ),
            consumer_span(self.service, self.queue.name, detail.trace, attributes),
        ):
            try:
                self.handle(envelope)
            except RefusedError as exc:
                self._refuse(record, envelope, exc)
            except Exception as exc:
                if not self._after_failure(record, envelope, exc, receive_count):
                    raise
            else:
                log.info("handled %s %s (receive %d)", envelope.detail_type, detail.event_id, receive_count)

    def _reject(self, record: SQSRecord, exc: InvalidEventError, receive_count: int) -> None:
        reason = _shorten(redact(f"rejected by {self.service}: {exc.reason}"))
        log.warning("rejecting message %s to DLQ: %s", record.message_id, reason)
        self.queue_ops.reject(record, reason)
        if exc.workflow_id and exc.detail_type != MessageDeadLettered.DETAIL_TYPE:
            self.publisher.publish(
                MessageDeadLettered(
                    workflow_id=exc.workflow_id,
                    queue=self.queue.name,
                    original_detail_type=exc.detail_type,
                    receive_count=receive_count,
                    reason=reason,
                )
            )

    def _refuse(self, record: SQSRecord, envelope: Envelope, exc: RefusedError) -> None:
        reason = dead_letter_reason(f"{envelope.detail_type} refused by {self.service}: {exc}")
        log.warning("refused message %s, moved to the DLQ: %s", record.message_id, reason)
        self.queue_ops.reject(record, reason)

    def _after_failure(
        self, record: SQSRecord, envelope: Envelope, exc: Exception, receive_count: int
    ) -> bool:
        """Retry later (False), or, on the last allowed receive, dead-letter with the error (True)."""
        error = redact(f"{type(exc).__name__}: {exc}")
        detail = envelope.detail
        if receive_count < self.queue.max_receive_count:
            log.warning(
                "%s %s failed (receive %d), will retry: %s",
                envelope.detail_type,
                detail.event_id,
                receive_count,
                error,
            )
            self.queue_ops.retry_later(record, self.retry_delay(receive_count))
            return False
        log.error(
            "%s %s failed on its last receive (%d); it goes to the DLQ: %s",
            envelope.detail_type,
            detail.event_id,
            receive_count,
            error,
        )
        reason = _shorten(
            f"{envelope.detail_type} for task {detail.task_id or '-'} could not be processed by "
            f"{self.service} after {receive_count} attempts and was dead-lettered: {error}"
        )
        if envelope.detail_type != MessageDeadLettered.DETAIL_TYPE:  # never report a report: it could loop
            self.publisher.publish(
                MessageDeadLettered(
                    workflow_id=detail.workflow_id,
                    task_id=detail.task_id,
                    queue=self.queue.name,
                    original_detail_type=envelope.detail_type,
                    original_event_id=detail.event_id,
                    receive_count=receive_count,
                    reason=reason,
                )
            )
        self.queue_ops.reject(record, reason)
        return True

    def handle_batch(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """The Lambda entry point body: partial batch failures, FIFO-aware."""
        processor = (
            SqsFifoPartialProcessor()
            if self.queue.fifo
            else BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
        )
        if self.queue.fifo:
            processor.raise_on_entire_batch_failure = False
        return dict(
            process_partial_response(
                event=event, record_handler=self.process, processor=processor, context=context
            )
        )


def dead_letter_reason(text: str) -> str:
    """A reason fit for a DLQ attribute and ``MessageDeadLettered``: redacted, bounded in length."""
    return _shorten(redact(text))


def _shorten(text: str, limit: int = MAX_REASON_CHARS) -> str:
    return text if len(text) <= limit else f"{text[: limit - 40]}… ({len(text) - limit + 40} more characters)"


class SqsQueueOps:
    """QueueOps over real SQS (moto locally). A URL may be given as a function, called on first use:
    a batch that every message passes needs neither URL, so a cold start looks none up."""

    def __init__(
        self, client: Any, dlq_url: str | Callable[[], str], queue_url: str | Callable[[], str], fifo: bool
    ) -> None:
        self._sqs = client
        self._dlq = dlq_url
        self._queue = queue_url
        self._fifo = fifo

    @property
    def _dlq_url(self) -> str:
        return self._dlq if isinstance(self._dlq, str) else self._dlq()

    @property
    def _queue_url(self) -> str:
        return self._queue if isinstance(self._queue, str) else self._queue()

    def reject(self, record: SQSRecord, reason: str) -> None:
        kwargs: dict[str, Any] = {
            "QueueUrl": self._dlq_url,
            "MessageBody": record.body,
            "MessageAttributes": {
                "reason": {"DataType": "String", "StringValue": reason},
                "source_queue": {"DataType": "String", "StringValue": self._queue_url},
            },
        }
        if self._fifo:
            kwargs["MessageGroupId"] = record.attributes.message_group_id or "rejected"
            kwargs["MessageDeduplicationId"] = record.message_id
        self._sqs.send_message(**kwargs)

    def retry_later(self, record: SQSRecord, delay_seconds: int) -> None:
        self._sqs.change_message_visibility(
            QueueUrl=self._queue_url, ReceiptHandle=record.receipt_handle, VisibilityTimeout=delay_seconds
        )
