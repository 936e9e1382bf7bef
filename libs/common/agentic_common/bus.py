"""Event publisher port and its EventBridge adapter (batches of 10, failed entries retried)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from opentelemetry import trace
from opentelemetry.trace import SpanKind

from agentic_common.events.envelope import EventDetail, source_of
from agentic_common.telemetry import current_trace

MAX_BATCH = 10
MAX_ENTRY_BYTES = 256 * 1024


class PublishError(RuntimeError):
    """Some events could not be published after every retry."""


class EventPublisher(Protocol):
    def publish(self, *details: EventDetail) -> None: ...


def with_trace(detail: EventDetail) -> EventDetail:
    """Stamp the current span's context on a detail that carries none yet."""
    if detail.trace.traceparent:
        return detail
    return detail.model_copy(update={"trace": current_trace()})


def to_entry(bus: str, service: str, detail: EventDetail) -> dict[str, Any]:
    body = detail.model_dump_json()
    entry = {
        "EventBusName": bus,
        "Source": source_of(service),
        "DetailType": detail.DETAIL_TYPE,
        "Detail": body,
    }
    size = len(json.dumps(entry).encode())
    if size > MAX_ENTRY_BYTES:
        raise PublishError(
            f"{detail.DETAIL_TYPE} is {size} bytes, over EventBridge's 256 KB: put the payload in S3 "
            "and send a reference"
        )
    return entry


class EventBridgePublisher:
    def __init__(
        self,
        client: Any,
        bus_name: str,
        service: str,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._bus = bus_name
        self._service = service
        self._max_attempts = max_attempts
        self._sleep = sleep
        self._tracer = trace.get_tracer(f"agentic.{service}")

    def publish(self, *details: EventDetail) -> None:
        if not details:
            return
        with self._tracer.start_as_current_span(
            f"publish {self._bus}",
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "aws_eventbridge",
                "messaging.operation.type": "publish",
                "messaging.destination.name": self._bus,
                "messaging.batch.message_count": len(details),
            },
        ):
            entries = [to_entry(self._bus, self._service, with_trace(d)) for d in details]
            for start in range(0, len(entries), MAX_BATCH):
                self._put_with_retries(entries[start : start + MAX_BATCH])

    def _put_with_retries(self, entries: Sequence[dict[str, Any]]) -> None:
        pending = list(entries)
        errors: list[str] = []
        for attempt in range(self._max_attempts):
            if attempt:
                self._sleep(min(0.1 * 2**attempt, 2.0))
            response = self._client.put_events(Entries=pending)
            if not response.get("FailedEntryCount"):
                return
            results = response["Entries"]
            errors = [r.get("ErrorCode", "?") for r in results if r.get("ErrorCode")]
            pending = [
                entry for entry, result in zip(pending, results, strict=True) if result.get("ErrorCode")
            ]
        raise PublishError(
            f"{len(pending)} events not published after {self._max_attempts} attempts: {errors}"
        )


class RecordingPublisher:
    """Keeps what was published, for unit tests and in-process runs."""

    def __init__(self, service: str = "test") -> None:
        self.service = service
        self.published: list[EventDetail] = []

    def publish(self, *details: EventDetail) -> None:
        self.published.extend(with_trace(d) for d in details)

    def of_type(self, detail_type: str) -> list[EventDetail]:
        return [d for d in self.published if detail_type == d.DETAIL_TYPE]
