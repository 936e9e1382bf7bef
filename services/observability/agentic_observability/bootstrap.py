"""Per-process wiring of the observability worker: settings → runtime → prober → TaskAgent consumer."""

from __future__ import annotations

from dataclasses import dataclass

from agentic_common.agent import TaskAgent
from agentic_common.consumer import Consumer
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import CommonSettings, load_settings

from agentic_observability.adapters.http_prober import HttpxProber
from agentic_observability.logic.verify import failure_events, make_work
from agentic_observability.settings import ObservabilitySettings

SERVICE = "observability"


@dataclass(frozen=True)
class Service:
    runtime: ServiceRuntime
    consumer: Consumer


def assemble(settings: CommonSettings | None = None) -> Service:
    """Build the runtime and the consumer (the worker needs both)."""
    common = settings or load_settings(CommonSettings)
    own = load_settings(ObservabilitySettings)
    runtime = start_runtime(SERVICE, common)
    prober = HttpxProber(timeout_seconds=own.observability_probe_timeout_seconds)
    agent = TaskAgent(
        agent=SERVICE,
        work=make_work(prober),
        publisher=runtime.publisher,
        claims=runtime.claims,
        failure_events=failure_events,
    )
    return Service(runtime=runtime, consumer=runtime.consumer(agent.handle))


def build(settings: CommonSettings | None = None) -> Consumer:
    return assemble(settings).consumer
