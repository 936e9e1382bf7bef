"""Dead-letter queues of the local (or any) stack: list what is there and why, redrive it."""

from __future__ import annotations

import json
from typing import Any

from agentic_common.topology import QueueSpec, default_topology

from agentic_cli.config import CliError


def selected(only: str | None) -> list[QueueSpec]:
    """Every queue, or the one named (by its or its DLQ's name); an unknown name is an error listing them."""
    queues = list(default_topology().queues)
    if only is None:
        return queues
    chosen = [q for q in queues if only in (q.name, q.dlq_name)]
    if not chosen:
        known = ", ".join(q.name for q in queues)
        raise CliError(f"--queue {only!r} is not a queue of the platform; known queues: {known}")
    return chosen


def _url(sqs: Any, prefix: str, name: str) -> str:
    return str(sqs.get_queue_url(QueueName=f"{prefix}-{name}")["QueueUrl"])


def _peek(sqs: Any, url: str) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for _ in range(10):
        batch = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=1,
            MessageAttributeNames=["All"],
            AttributeNames=["All"],
        ).get("Messages", [])
        if not batch or all(m["MessageId"] in found for m in batch):
            break
        found |= {m["MessageId"]: m for m in batch}
    return list(found.values())


def describe(message: dict[str, Any]) -> str:
    reason = message.get("MessageAttributes", {}).get("reason", {}).get("StringValue") or (
        "none recorded: SQS moved it after its last allowed receive "
        "(the handler crashed or timed out before reporting; see the service's log)"
    )
    try:
        body = json.loads(message["Body"])
        what = f"{body.get('detail-type')} workflow={body.get('detail', {}).get('workflow_id')}"
    except (json.JSONDecodeError, AttributeError):
        what = "unparsable body"
    return f"{message['MessageId']}  {what}  reason: {reason}"


def list_dlqs(sqs: Any, prefix: str, only: str | None = None) -> list[tuple[QueueSpec, list[dict[str, Any]]]]:
    return [(q, _peek(sqs, _url(sqs, prefix, q.dlq_name))) for q in selected(only)]


def redrive(sqs: Any, prefix: str, only: str | None = None) -> dict[str, int]:
    """Move every DLQ message back to its source queue (send, then delete: at least once)."""
    moved: dict[str, int] = {}
    for queue in selected(only):
        dlq_url, source_url = _url(sqs, prefix, queue.dlq_name), _url(sqs, prefix, queue.name)
        count = 0
        for message in _peek(sqs, dlq_url):
            kwargs: dict[str, Any] = {"QueueUrl": source_url, "MessageBody": message["Body"]}
            if queue.fifo:
                kwargs |= {
                    "MessageGroupId": message["Attributes"].get("MessageGroupId", "redrive"),
                    "MessageDeduplicationId": f"redrive-{message['MessageId']}",
                }
            sqs.send_message(**kwargs)
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            count += 1
        moved[queue.name] = count
    return moved
