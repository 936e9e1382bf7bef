"""A planner wired to fakes: in-memory state, recording publisher, a clock the test moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.bus import RecordingPublisher
from agentic_common.idempotency import InMemoryClaimStore
from agentic_common.state.memory import InMemoryStateStore
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.logic.catalogue_models import Template
from agentic_planner.logic.events import PlannerEvents
from agentic_planner.logic.workflows import WorkflowService
from agentic_planner.ports import Notification

DIAMOND = Template.model_validate(
    {
        "name": "diamond",
        "version": "1",
        "title": "t",
        "description": "d",
        "parameters": {
            "type": "object",
            "properties": {"serviceName": {"type": "string"}},
            "required": ["serviceName"],
        },
        "tasks": [
            {"id": "a", "agent": "codegen", "action": "generate", "max_attempts": 2, "timeout_seconds": 30},
            {"id": "b", "agent": "policy", "action": "scan", "depends_on": ["a"]},
            {"id": "c", "agent": "policy", "action": "scan", "depends_on": ["a"]},
            {"id": "d", "agent": "deployment", "action": "deploy", "depends_on": ["b", "c"]},
        ],
    }
)


@dataclass
class Clock:
    now: datetime = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class FakeNotifier:
    sent: list[Notification] = field(default_factory=list)
    channel: str = "fake"

    def notify(self, notification: Notification) -> None:
        self.sent.append(notification)


@dataclass
class Harness:
    service: WorkflowService
    events: PlannerEvents
    publisher: RecordingPublisher
    clock: Clock
    notifier: FakeNotifier


@pytest.fixture
def harness() -> Harness:
    clock, publisher, notifier = Clock(), RecordingPublisher("planner"), FakeNotifier()
    catalogue = Catalogue(
        {"diamond": DIAMOND, **{n: Catalogue.load().get(n) for n in Catalogue.load().names}}
    )
    service = WorkflowService(InMemoryStateStore(), publisher, catalogue, clock)
    events = PlannerEvents(service, [notifier], InMemoryClaimStore())
    return Harness(service, events, publisher, clock, notifier)
