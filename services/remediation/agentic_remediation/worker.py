"""Fargate entry point: long-poll the remediation-events queue until SIGTERM."""

from __future__ import annotations

from agentic_common.runtime import fail_fast
from agentic_common.worker import Worker

from agentic_remediation.bootstrap import Service, assemble


def main() -> None:
    service: Service = fail_fast(assemble)
    worker = Worker.for_consumer(service.runtime, service.consumer)
    worker.install_signal_handlers()
    worker.run()
