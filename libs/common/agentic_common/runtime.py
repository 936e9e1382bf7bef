"""Per-process wiring shared by every bootstrap: settings → clients → publisher, claims, consumer."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agentic_common.aws import AwsClients
from agentic_common.bus import EventBridgePublisher
from agentic_common.events import Envelope
from agentic_common.idempotency import DynamoDBClaimStore
from agentic_common.logs import configure_logging
from agentic_common.settings import CommonSettings
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.telemetry import setup_telemetry
from agentic_common.topology import QueueSpec, Topology, default_topology

if TYPE_CHECKING:
    from agentic_common.agent import FailureEvents, TaskAgent, Work
    from agentic_common.consumer import Consumer


@dataclass
class ServiceRuntime:
    service: str
    settings: CommonSettings
    clients: AwsClients
    topology: Topology = field(default_factory=default_topology)
    _urls: dict[str, str] = field(default_factory=dict)

    @property
    def publisher(self) -> EventBridgePublisher:
        return EventBridgePublisher(
            self.clients.client("events"), self.settings.name(self.topology.bus), self.service
        )

    @property
    def claims(self) -> DynamoDBClaimStore:
        return DynamoDBClaimStore(self.clients.client("dynamodb"), self.settings.name("idempotency"))

    @property
    def tasks(self) -> DynamoDBStateStore:
        """The planner's workflows state: where the current attempt of every task is recorded."""
        return DynamoDBStateStore(self.clients.client("dynamodb"), self.table("workflows"))

    def task_agent(self, work: Work, failure_events: FailureEvents | None = None) -> TaskAgent:
        """This service's task agent: runs only current attempts of tasks the planner dispatched, and
        reports each start (``task.started``) on the bus."""
        from agentic_common.agent import TaskAgent  # noqa: PLC0415 - task agents consume a queue: see consumer()

        extra = {"failure_events": failure_events} if failure_events else {}
        publisher = self.publisher
        return TaskAgent(
            self.service, work, publisher, self.claims, tasks=self.tasks, starts=publisher, **extra
        )

    def table(self, logical: str) -> str:
        return self.settings.name(logical)

    def bucket(self, logical: str) -> str:
        return self.settings.name(logical)

    def queue_url(self, logical: str) -> str:
        if logical not in self._urls:
            sqs = self.clients.client("sqs")
            self._urls[logical] = sqs.get_queue_url(QueueName=self.settings.name(logical))["QueueUrl"]
        return self._urls[logical]

    def own_queue(self) -> QueueSpec:
        queues = self.topology.queues_of(self.service)
        if len(queues) != 1:
            raise RuntimeError(f"{self.service} consumes {len(queues)} queues; name the one you mean")
        return queues[0]

    def consumer(self, handle: Callable[[Envelope], None], queue: QueueSpec | None = None) -> Consumer:
        spec = queue or self.own_queue()
        # the Powertools batch utilities are imported by the entry points that consume a queue only
        from agentic_common.consumer import Consumer, SqsQueueOps  # noqa: PLC0415

        # the URLs are looked up when a message is first rejected or retried, not at every cold start
        ops = SqsQueueOps(
            self.clients.client("sqs"),
            lambda: self.queue_url(spec.dlq_name),
            lambda: self.queue_url(spec.name),
            spec.fifo,
        )
        return Consumer(self.service, spec, handle, self.publisher, ops)


def start_runtime(service: str, settings: CommonSettings) -> ServiceRuntime:
    """Call once per process, from a bootstrap function (never at import time)."""
    configure_logging(service, settings.log_level)
    setup_telemetry(service, settings.otel_exporter_otlp_endpoint)
    return ServiceRuntime(service=service, settings=settings, clients=AwsClients(settings))


def fail_fast(build: Callable[[], Any]) -> Any:
    """Run a bootstrap; a settings error ends the process with its message (no stack trace)."""
    from agentic_common.settings import SettingsError  # noqa: PLC0415

    try:
        return build()
    except SettingsError as exc:
        logging.getLogger(__name__).error("%s", exc)
        sys.stderr.write(f"configuration error: {exc}\n")
        raise SystemExit(2) from None
