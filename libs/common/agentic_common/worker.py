"""The Fargate worker loop: long-poll, extend visibility while a batch runs, stop cleanly on SIGTERM.

``concurrency`` batches may run at once (``agentic_common.concurrency``); ``lane`` names the key of a
message (e.g. its service) whose batches must never overlap. Stopping receives nothing more and waits
for the batches in flight.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from agentic_common.concurrency import BoundedRunner, Lanes
from agentic_common.poller import BatchHandler, QueuePoller

log = logging.getLogger(__name__)


class Worker:
    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        handler: BatchHandler,
        region: str,
        *,
        visibility_timeout: int,
        batch_size: int = 1,
        concurrency: int = 1,
        lane: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        self.poller = QueuePoller(sqs, queue_url, handler, region, batch_size=batch_size, wait_seconds=2)
        self._visibility = visibility_timeout
        self._concurrency = concurrency
        self._lane = lane
        self._lanes = Lanes()
        self.stop = threading.Event()

    @classmethod
    def for_consumer(cls, runtime: Any, consumer: Any, *, concurrency: int = 1) -> Worker:
        """A worker on the consumer's own queue, with that queue's visibility timeout."""
        return cls(
            runtime.clients.client("sqs"),
            runtime.queue_url(consumer.queue.name),
            consumer.handle_batch,
            runtime.settings.aws_region,
            visibility_timeout=consumer.queue.visibility_timeout_seconds,
            concurrency=concurrency,
        )

    @property
    def concurrency(self) -> int:
        """How many batches may run at once."""
        return self._concurrency

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stop.set())

    def _heartbeat(self, messages: list[dict[str, Any]], done: threading.Event) -> None:
        interval = max(self._visibility / 2, 1)
        while not done.wait(interval):
            try:
                self.poller.extend_visibility(messages, self._visibility)
            except Exception:  # the batch itself decides the outcome; a missed beat only risks a redelivery
                log.warning("could not extend visibility", exc_info=True)

    def handle(self, messages: list[dict[str, Any]]) -> None:
        """One batch: its visibility is extended from receipt until it is done (waiting for its lane
        included); it runs once no other batch of its lane runs."""
        done = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(messages, done), daemon=True)
        beat.start()
        try:
            lanes = [self._lane(m) for m in messages] if self._lane else []
            with self._lanes.hold(lanes):
                failure = f"worker batch on {self.poller.queue_name} failed"
                self.poller.handle_or_dead_letter(messages, failure)
        finally:
            done.set()
            beat.join()

    def run(self) -> None:
        log.info("worker started (%d batch(es) at once)", self._concurrency)
        BoundedRunner(self.poller, self.handle, concurrency=self._concurrency).run(self.stop)
        log.info("worker stopped")
