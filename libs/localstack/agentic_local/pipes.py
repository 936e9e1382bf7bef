"""Local EventBridge Pipes: each message of a pipe's standard source queue moves to its FIFO target with
the message group and deduplication id read from the event it carries, as the pipe the CDK app deploys
does in AWS (``agentic_common.topology_models.PipeSpec``).

Like that pipe, it long-polls its source, sends each message's body (the EventBridge event: the deployed
pipe's input template is ``<$.body>``) to the target, ten to a call in the order received, and deletes
from the source only what the target accepted. What it could not send comes back after the source's
visibility timeout. Its calls are the pipe's, not the platform's code's: they are made in a
``calls_made_for(EVENTBRIDGE_PIPE)`` block, so the call log lists them apart.

One difference: a message whose event has no group (or deduplication id) at the pipe's paths goes to the
source's DLQ at once, with that as its ``reason``. In AWS the pipe's call to the target fails, and SQS
moves the message after ``maxReceiveCount`` receives, without a reason.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from agentic_common.aws import EVENTBRIDGE_PIPE, calls_made_for
from agentic_common.consumer import SqsQueueOps
from agentic_common.poller import to_lambda_record
from agentic_common.topology_models import PipeSpec
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

log = logging.getLogger(__name__)


class LocalPipe:
    def __init__(
        self, sqs: Any, spec: PipeSpec, url_of: Callable[[str], str], source_dlq: str, wait_seconds: int = 1
    ) -> None:
        self._sqs = sqs
        self.spec = spec
        self._source = url_of(spec.source_queue)
        self._target = url_of(spec.target_queue)
        self._dead = SqsQueueOps(sqs, lambda: url_of(source_dlq), self._source, fifo=False)
        self._wait = wait_seconds

    def move(self) -> int:
        """One receive from the source, its messages sent on; returns how many left the source."""
        with calls_made_for(EVENTBRIDGE_PIPE):
            messages: list[dict[str, Any]] = self._sqs.receive_message(
                QueueUrl=self._source,
                MaxNumberOfMessages=10,
                WaitTimeSeconds=self._wait,
                AttributeNames=["All"],
            ).get("Messages", [])
            entries: list[dict[str, str]] = []
            done: list[dict[str, Any]] = []
            for index, message in enumerate(messages):
                group, deduplication, problem = self._ids(message["Body"])
                if problem:
                    self._dead_letter(message, problem)
                    done.append(message)
                    continue
                entries.append(
                    {
                        "Id": str(index),
                        "MessageBody": message["Body"],
                        "MessageGroupId": group,
                        "MessageDeduplicationId": deduplication,
                    }
                )
            if entries:
                response = self._sqs.send_message_batch(QueueUrl=self._target, Entries=entries)
                for failed in response.get("Failed", []):
                    log.warning(
                        "pipe %s: the target refused a message: %s", self.spec.name, failed.get("Message")
                    )
                sent = {item["Id"] for item in response.get("Successful", [])}
                done += [messages[int(entry["Id"])] for entry in entries if entry["Id"] in sent]
            if done:
                self._sqs.delete_message_batch(
                    QueueUrl=self._source,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
                )
            return len(done)

    def _ids(self, body: str) -> tuple[str, str, str]:
        """(group, deduplication id, "") or ("", "", the problem)."""
        try:
            event = json.loads(body)
        except ValueError:
            return "", "", f"pipe {self.spec.name}: the message body is not JSON"
        found = []
        for path in (self.spec.message_group_path, self.spec.deduplication_path):
            value = self.spec.read(event if isinstance(event, dict) else {}, path)
            if value is None:
                return "", "", f"pipe {self.spec.name}: the event has no string at {path}"
            found.append(value)
        return found[0], found[1], ""

    def _dead_letter(self, message: dict[str, Any], reason: str) -> None:
        log.warning("%s; moved to the DLQ", reason)
        record = SQSRecord(to_lambda_record(message, "", ""))
        self._dead.reject(record, reason)

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.move()
            except Exception:  # SQS failing: the messages stay in the source; try again shortly
                log.exception("pipe %s could not move messages; retrying", self.spec.name)
                stop.wait(1)
