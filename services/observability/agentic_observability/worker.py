"""Fargate entry point: long-poll the observability-tasks queue, and monitor deployments, until SIGTERM."""

from __future__ import annotations

from agentic_common.runtime import fail_fast
from agentic_common.worker import Worker

from agentic_observability.bootstrap import Service, assemble
from agentic_observability.monitor_loop import start_monitor


def main() -> None:
    service: Service = fail_fast(assemble)
    worker = Worker.for_consumer(service.runtime, service.consumer)
    worker.install_signal_handlers()
    start_monitor(service.monitor, service.monitor_interval_seconds, worker.stop)
    worker.run()
