"""An escalation reaches a person through the planner's notifier (console, notifications.jsonl, Slack)."""

from __future__ import annotations

from dataclasses import dataclass, field

from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope
from agentic_common.events.envelope import utc_now
from agentic_common.events.remediation import RemediationEscalated
from agentic_common.idempotency import InMemoryClaimStore
from agentic_common.state.memory import InMemoryStateStore
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.logic.events import PlannerEvents
from agentic_planner.logic.workflows import WorkflowService
from agentic_planner.ports import Notification


@dataclass
class RecordingNotifier:
    sent: list[Notification] = field(default_factory=list)
    channel: str = "recording"

    def notify(self, notification: Notification) -> None:
        self.sent.append(notification)


def test_an_escalation_is_notified_once_with_its_reason_and_links() -> None:
    # Given the planner's event handler with a recording notifier
    notifier = RecordingNotifier()
    service = WorkflowService(InMemoryStateStore(), RecordingPublisher("planner"), Catalogue.load(), utc_now)
    events = PlannerEvents(service, [notifier], InMemoryClaimStore())
    escalation = RemediationEscalated(
        workflow_id="wf-1",
        escalation_id="esc-1",
        service="orders-api",
        environment="prod",
        deployment_id="dep-1",
        action_id="act-1",
        reason="restart failed: process exited",
        summary="Remediation of orders-api needs a person: restart failed: process exited.",
    )
    envelope = Envelope(source="agentic.remediation", detail_type=escalation.DETAIL_TYPE, detail=escalation)
    # When it is delivered twice
    events.handle(envelope)
    events.handle(envelope)
    # Then one notification says what failed and where
    [sent] = notifier.sent
    assert (sent.workflow_id, sent.status) == ("wf-1", "escalated")
    assert sent.title == "orders-api in prod: remediation needs a person"
    assert "restart failed" in sent.text
    assert sent.links == {"deployment": "dep-1", "action": "act-1"}
