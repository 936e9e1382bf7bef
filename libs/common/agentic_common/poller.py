"""Long-polling an SQS queue and handing batches to a Lambda-shaped handler.

Used by the Fargate workers (``worker``) and by the local Lambda runner: both build the same SQS
event Lambda would and delete only the messages the handler did not report in ``batchItemFailures``.
When a batch fails as a whole, both go through ``handle_or_dead_letter``: a message on its last
allowed receive goes to the DLQ with the failure as its ``reason``; the others are redelivered.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from agentic_common.consumer import SqsQueueOps, dead_letter_reason

log = logging.getLogger(__name__)

BatchHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def to_lambda_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {
            name: {"stringValue": value.get("StringValue"), "dataType": value.get("DataType")}
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


class QueuePoller:
    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        handler: BatchHandler,
        region: str,
        *,
        batch_size: int = 10,
        wait_seconds: int = 1,
    ) -> None:
        self._sqs = sqs
        self._url = queue_url
        self._handler = handler
        self._region = region
        self._batch_size = batch_size
        self._wait = wait_seconds
        self._arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]

    def receive(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = self._sqs.receive_message(
            QueueUrl=self._url,
            MaxNumberOfMessages=self._batch_size,
            WaitTimeSeconds=self._wait,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        return messages

    def handle(self, messages: list[dict[str, Any]], context: Any = None) -> int:
        """Run the handler on one batch; delete what succeeded. Returns how many failed."""
        if not messages:
            return 0
        event = {"Records": [to_lambda_record(m, self._arn, self._region) for m in messages]}
        response = self._handler(event, context)
        failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
        self.delete([m for m in messages if m["MessageId"] not in failed])
        return len(failed)

    def delete(self, messages: list[dict[str, Any]]) -> None:
        """Delete handled messages, ten to a call."""
        for start in range(0, len(messages), 10):
            chunk = messages[start : start + 10]
            self._sqs.delete_message_batch(
                QueueUrl=self._url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)],
            )

    @property
    def queue_name(self) -> str:
        return self._url.rsplit("/", 1)[-1]

    def handle_or_dead_letter(
        self, messages: list[dict[str, Any]], failure: str, context: Any = None
    ) -> None:
        """Run one batch. If it fails as a whole, each message on its last allowed receive goes to the
        DLQ with ``<failure>: <error>`` (redacted, bounded) as its reason; the rest are redelivered."""
        try:
            self.handle(messages, context)
        except Exception as exc:
            log.exception("%s; the batch will be redelivered", failure)
            reason = dead_letter_reason(f"{failure}: {type(exc).__name__}: {exc}")
            try:
                self.dead_letter_last_receives(messages, reason)
            except Exception:  # SQS itself failing: the loop goes on; SQS moves them later, without a reason
                log.exception("could not dead-letter the failed batch of %s with its reason", self.queue_name)

    def dead_letter_last_receives(self, messages: list[dict[str, Any]], reason: str) -> int:
        """After a batch crashed as a whole: move each message on its last allowed receive to the DLQ.

        The consumer dead-letters a failing message itself, with its error; a crash around it (the
        handler could not even start) would otherwise leave SQS to move the message on its next
        receive, with no reason at all. Returns how many were moved.
        """
        attributes = self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["RedrivePolicy"])
        policy = attributes.get("Attributes", {}).get("RedrivePolicy")
        if not policy:
            return 0
        redrive = json.loads(policy)
        dlq_name = str(redrive["deadLetterTargetArn"]).rsplit(":", 1)[-1]
        last = [
            m
            for m in messages
            if int(m.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
            >= int(redrive["maxReceiveCount"])
        ]
        if not last:
            return 0
        dlq_url = self._sqs.get_queue_url(QueueName=dlq_name)["QueueUrl"]
        ops = SqsQueueOps(self._sqs, dlq_url, self._url, fifo=self._url.endswith(".fifo"))
        for message in last:
            ops.reject(SQSRecord(to_lambda_record(message, self._arn, self._region)), reason)
            self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])
        return len(last)

    def extend_visibility(self, messages: list[dict[str, Any]], seconds: int) -> None:
        for message in messages:
            self._sqs.change_message_visibility(
                QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=seconds
            )

    def run(self, stop: threading.Event, context: Any = None) -> None:
        while not stop.is_set():
            try:
                messages = self.receive()
            except Exception:  # SQS unreachable must not kill the loop
                log.exception("could not receive from %s", self.queue_name)
                stop.wait(1)
                continue
            self.handle_or_dead_letter(messages, f"batch on {self.queue_name} failed", context)
