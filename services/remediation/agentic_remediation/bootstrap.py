"""Per-process wiring of the remediation worker: settings → runtime → audit log → consumer."""

from __future__ import annotations

from dataclasses import dataclass

from agentic_common.consumer import Consumer
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import CommonSettings, load_settings

from agentic_remediation.adapters.audit_log import FileAuditLog
from agentic_remediation.logic.agent import RemediationAgent

SERVICE = "remediation"


@dataclass(frozen=True)
class Service:
    runtime: ServiceRuntime
    consumer: Consumer


def assemble(settings: CommonSettings | None = None) -> Service:
    """Build the runtime and the consumer (the worker needs both)."""
    common = settings or load_settings(CommonSettings)
    runtime = start_runtime(SERVICE, common)
    queue = runtime.own_queue()
    agent = RemediationAgent(
        publisher=runtime.publisher,
        claims=runtime.claims,
        audit=FileAuditLog.under(common.agentic_home),
        lease_seconds=queue.visibility_timeout_seconds,
    )
    return Service(runtime=runtime, consumer=runtime.consumer(agent.handle, queue))


def build(settings: CommonSettings | None = None) -> Consumer:
    return assemble(settings).consumer
