"""The deployment worker (Fargate-style): long-poll deployment-tasks, several deploys at once (one per
service at a time); on exit, drain the deploys in flight, then stop the services it ran."""

from __future__ import annotations

import logging

from agentic_common.runtime import fail_fast
from agentic_common.worker import Worker

from agentic_deployment.bootstrap import DeploymentService, build
from agentic_deployment.logic.lanes import service_lane

log = logging.getLogger(__name__)


def serve(service: DeploymentService) -> Worker:
    """The worker over the service's own queue (not started): ``deploy_concurrency`` messages at once,
    one at a time per service."""
    runtime, queue = service.runtime, service.consumer.queue
    return Worker(
        runtime.clients.client("sqs"),
        runtime.queue_url(queue.name),
        service.consumer.handle_batch,
        runtime.settings.aws_region,
        visibility_timeout=queue.visibility_timeout_seconds,
        concurrency=service.concurrency,
        lane=service_lane,
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
