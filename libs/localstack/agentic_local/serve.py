"""Run one service the way the local stack does: ``python -m agentic_local.serve <name>``.

* planner-api: the local API gateway in front of every API handler the topology routes to;
* planner, codegen, policy: the local Lambda runner on their queue (the planner also runs its sweep);
* deployment, observability, remediation: their own Fargate worker (``python -m agentic_<name>``).
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from agentic_common.logs import configure_logging
from agentic_common.settings import load_settings

from agentic_local.api_gateway import LocalApiGateway, Router
from agentic_local.auth import LocalVerifier, ensure_signing_key
from agentic_local.lambda_runner import run_event_source
from agentic_local.pipes import LocalPipe
from agentic_local.process_signals import ctrl_c_stops, dump_stacks_on_sigusr1
from agentic_local.settings import LocalSettings

LAMBDA_SERVICES = {
    "planner": "agentic_planner.handler:events_handler",
    "codegen": "agentic_codegen.handler:lambda_handler",
    "policy": "agentic_policy.handler:lambda_handler",
}
WORKERS = ("deployment", "observability", "remediation")


def _load(ref: str) -> Callable[..., Any]:
    module, _, name = ref.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _stop_event() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _warm(router: Router) -> None:
    """Start one environment of every API function in the background, so no first request is a cold start."""
    from agentic_common.topology import default_topology  # noqa: PLC0415

    for route in default_topology().api_routes:
        router.warm(route)


def serve_api(settings: LocalSettings) -> None:
    from agentic_common.topology import default_topology  # noqa: PLC0415

    ensure_signing_key(settings.agentic_home)
    router = Router(default_topology().api_routes, instances=settings.agentic_api_instances)
    gateway = LocalApiGateway(router, LocalVerifier(settings.agentic_home), settings.agentic_api_port).start()
    health = router.route("/health")
    assert health is not None
    router.warm(health)  # the planner's first environment, before the stack reports ready
    threading.Thread(target=_warm, args=(router,), name="warm-api-handlers", daemon=True).start()
    stop = _stop_event()
    stop.wait()
    gateway.stop()


def _sweep_loop(stop: threading.Event, every: float) -> None:
    sweep = _load("agentic_planner.handler:sweep_handler")
    while not stop.wait(every):
        sweep({}, None)


def _start_pipes(
    name: str, settings: LocalSettings, sqs: Any, stop: threading.Event
) -> list[threading.Thread]:
    """Run the pipes that fill this service's queues beside it (in AWS, EventBridge Pipes runs them)."""
    from agentic_common.topology import default_topology  # noqa: PLC0415

    def url_of(logical: str) -> str:
        return str(sqs.get_queue_url(QueueName=settings.name(logical))["QueueUrl"])

    topology = default_topology()
    threads = []
    for queue in topology.queues_of(name):
        pipe = topology.pipe_into(queue.name)
        if pipe is None:
            continue
        local = LocalPipe(sqs, pipe, url_of, topology.queue(pipe.source_queue).dlq_name)
        thread = threading.Thread(target=local.run, args=(stop,), name=f"pipe-{pipe.name}")
        thread.start()
        threads.append(thread)
    return threads


def serve_lambda(name: str, settings: LocalSettings) -> None:
    from agentic_common.aws import AwsClients  # noqa: PLC0415
    from agentic_common.topology import default_topology  # noqa: PLC0415

    handler = _load(LAMBDA_SERVICES[name])
    stop = _stop_event()
    queue = default_topology().queues_of(name)[0]
    sqs = AwsClients(settings).client("sqs")
    url = sqs.get_queue_url(QueueName=settings.name(queue.name))["QueueUrl"]
    if name == "planner":
        threading.Thread(target=_sweep_loop, args=(stop, settings.agentic_sweep_seconds), daemon=True).start()
    pipes = _start_pipes(name, settings, sqs, stop)
    run_event_source(
        sqs,
        url,
        handler,
        settings.aws_region,
        function_name=f"{name}-events",
        stop=stop,
        batch_size=1 if queue.fifo else queue.batch_size,
        timeout_seconds=queue.visibility_timeout_seconds,
        concurrency=settings.agentic_lambda_concurrency,
    )
    for pipe in pipes:
        pipe.join()


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    name = args[0] if args else ""
    configure_logging(name or "serve")  # JSON from the first line, even if stopped while it starts
    ctrl_c_stops()  # while it starts; once running, its own handlers stop it cleanly
    dump_stacks_on_sigusr1()
    logging.getLogger(__name__).info("starting %s", name)
    settings = load_settings(LocalSettings)
    if name == "planner-api":
        serve_api(settings)
    elif name in LAMBDA_SERVICES:
        serve_lambda(name, settings)
    elif name in WORKERS:
        importlib.import_module(f"agentic_{name}.worker").main()
    else:
        known = ", ".join(["planner-api", *LAMBDA_SERVICES, *WORKERS])
        raise SystemExit(f"unknown service {name!r}; one of: {known}")


if __name__ == "__main__":
    main()
