"""Fargate entry point: long-poll the observability-tasks queue, and monitor deployments (a thread polling
every interval, and at once after a verify task), until SIGTERM."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import httpx
from agentic_common.bus import PublishError
from agentic_common.runtime import fail_fast
from agentic_common.worker import Worker
from botocore.exceptions import BotoCoreError, ClientError

from agentic_observability.bootstrap import Service, assemble
from agentic_observability.logic.monitor import Monitor

log = logging.getLogger(__name__)


def run_monitor(
    monitor: Monitor,
    interval_seconds: float,
    stop: threading.Event,
    pause: Callable[[float], object] | None = None,
) -> None:
    """Poll after each ``pause`` (default: the interval, cut short by ``stop``) until ``stop`` is set."""
    log.info("monitor started: polling running deployments every %ss", interval_seconds)
    wait = pause or stop.wait
    while True:
        wait(interval_seconds)
        if stop.is_set():
            break
        try:
            for event in monitor.poll_once():
                log.warning("anomaly.detected %s: %s", event.incident_id, event.reason)
        except (BotoCoreError, ClientError, PublishError, httpx.HTTPError):
            # a failed poll is retried on the next tick; the ledger keeps reports to one per incident
            log.warning("monitor poll failed; retrying next interval", exc_info=True)
    log.info("monitor stopped")


def start_monitor(
    monitor: Monitor,
    interval_seconds: float,
    stop: threading.Event,
    pause: Callable[[float], object] | None = None,
) -> threading.Thread:
    thread = threading.Thread(
        target=run_monitor,
        args=(monitor, interval_seconds, stop, pause),
        name="deployment-monitor",
        daemon=True,
    )
    thread.start()
    return thread


def main() -> None:
    service: Service = fail_fast(assemble)
    worker = Worker.for_consumer(service.runtime, service.consumer, concurrency=service.verify_concurrency)
    worker.install_signal_handlers()
    start_monitor(service.monitor, service.monitor_interval_seconds, worker.stop, service.watch.wait)
    try:
        worker.run()
    finally:
        service.watch.wake()  # the monitor's pause ends and it sees the stop
