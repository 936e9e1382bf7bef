"""The Fargate worker loop: long-poll, extend visibility while a batch runs, stop cleanly on SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

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
    ) -> None:
        self.poller = QueuePoller(sqs, queue_url, handler, region, batch_size=batch_size, wait_seconds=2)
        self._visibility = visibility_timeout
        self.stop = threading.Event()

    @classmethod
    def for_consumer(cls, runtime: Any, consumer: Any) -> Worker:
        """A worker on the consumer's own queue, with that queue's visibility timeout."""
        return cls(
            runtime.clients.client("sqs"),
            runtime.queue_url(consumer.queue.name),
            consumer.handle_batch,
            runtime.settings.aws_region,
            visibility_timeout=consumer.queue.visibility_timeout_seconds,
        )

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

    def run(self) -> None:
        log.info("worker started")
        while not self.stop.is_set():
            messages = self.poller.receive()
            if not messages:
                continue
            done = threading.Event()
            beat = threading.Thread(target=self._heartbeat, args=(messages, done), daemon=True)
            beat.start()
            try:
                failure = f"worker batch on {self.poller.queue_name} failed"
                self.poller.handle_or_dead_letter(messages, failure)
            finally:
                done.set()
                beat.join()
        log.info("worker stopped")
