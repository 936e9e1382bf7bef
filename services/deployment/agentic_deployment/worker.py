"""The deployment worker (Fargate-style): long-poll deployment-tasks; stop the services it ran on exit."""

from __future__ import annotations

import logging

from agentic_common.runtime import fail_fast
from agentic_common.worker import Worker

from agentic_deployment.bootstrap import DeploymentService, build

log = logging.getLogger(__name__)


def serve(service: DeploymentService) -> Worker:
    """The worker over the service's own queue (not started)."""
    runtime, queue = service.runtime, service.consumer.queue
    return Worker(
        runtime.clients.client("sqs"),
        runtime.queue_url(queue.name),
        service.consumer.handle_batch,
        runtime.settings.aws_region,
        visibility_timeout=queue.visibility_timeout_seconds,
    )


def main() -> None:
    service: DeploymentService = fail_fast(build)
    reaped = service.target.reap_orphans()
    if reaped:
        log.warning("stopped %d service(s) left running by an earlier worker", reaped)
    try:
        worker = serve(service)
        worker.install_signal_handlers()
        worker.run()
    finally:
        service.target.stop_all()
