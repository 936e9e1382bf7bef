"""The planner's reaction to each event type on its queue."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from agentic_common.events import Envelope
from agentic_common.events.approvals import ApprovalRequested
from agentic_common.events.delivery import MessageDeadLettered
from agentic_common.events.planner import WorkflowCompleted, WorkflowFailed
from agentic_common.events.remediation import (
    RemediationActionCompleted,
    RemediationActionRequested,
    RemediationEscalated,
    RemediationRecommended,
)
from agentic_common.events.tasks import TaskCompleted, TaskFailed, TaskStarted
from agentic_common.idempotency import ClaimStore
from agentic_common.state import RemediationRecord

from agentic_planner.logic.delivery import Backoff, NotificationDelivery
from agentic_planner.logic.delivery_outcomes import WorkflowDeliveryOutcomes
from agentic_planner.logic.engine import Engine
from agentic_planner.logic.notifications import (
    render_approval_request,
    render_escalation,
    render_notification,
    render_recommendation,
    render_remediation_action,
)
from agentic_planner.logic.public_links import public_base
from agentic_planner.logic.workflows import WorkflowService
from agentic_planner.ports import Notification, Notifier

log = logging.getLogger(__name__)


@dataclass
class PlannerEvents:
    """``channels`` get each notification once (``logic.delivery``).

    ``api_url`` is the platform's public URL (``AGENTIC_PUBLIC_URL``, else ``AGENTIC_API_URL``):
    messages link records and reports there, and make no link from a loopback URL.
    """

    service: WorkflowService
    channels: Sequence[Notifier]
    claims: ClaimStore
    api_url: str | None = None
    backoff: Backoff = field(default_factory=Backoff)
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self.delivery = NotificationDelivery(
            self.channels,
            self.claims,
            WorkflowDeliveryOutcomes(self.service),
            backoff=self.backoff,
            sleep=self.sleep,
        )

    def handle(self, envelope: Envelope) -> None:
        detail = envelope.detail
        match detail:
            case TaskStarted():
                self.service.apply(
                    detail.workflow_id,
                    lambda e: e.started(detail.task_id, detail.attempt, detail.occurred_at),
                )
            case TaskCompleted():
                self.service.apply(
                    detail.workflow_id, lambda e: e.complete(detail.task_id, detail.attempt, detail.outputs)
                )
            case TaskFailed():
                self.service.apply(
                    detail.workflow_id,
                    lambda e: e.fail(detail.task_id, detail.attempt, detail.error, detail.retryable),
                )
            case MessageDeadLettered():
                self.service.apply(detail.workflow_id, lambda e: _dead_lettered(e, detail))
            case RemediationRecommended():
                self._record_remediation(detail)
                if detail.notify:
                    self._notify(envelope)
            case _:
                self._notify(envelope)

    def _notify(self, envelope: Envelope) -> None:
        notification = self._render(envelope)
        if notification is None:
            log.info("planner ignores %s", envelope.detail_type)
            return
        self.delivery.deliver(notification)

    def _render(self, envelope: Envelope) -> Notification | None:
        detail = envelope.detail
        record = self._url(f"/workflows/{detail.workflow_id}")
        match detail:
            case WorkflowCompleted() | WorkflowFailed():
                state = self.service.current(detail.workflow_id)
                if state is not None and not state.workflow.status.terminal:  # remembered before its end
                    state = self.service.store.load(detail.workflow_id)
                return render_notification(state, detail, self.api_url) if state is not None else None
            case ApprovalRequested():  # its parameters never change
                state = self.service.current(detail.workflow_id)
                parameters = state.workflow.parameters if state is not None else {}
                url = self._url(f"/approvals/{detail.approval_id}")
                return render_approval_request(detail, parameters, url)
            case RemediationActionRequested() | RemediationActionCompleted():
                return render_remediation_action(detail, self._url(f"/deployments/{detail.deployment_id}"))
            case RemediationEscalated():
                return render_escalation(detail, record)
            case RemediationRecommended():
                return render_recommendation(detail, record)
        return None

    def _url(self, path: str) -> str | None:
        base = public_base(self.api_url)  # a link people click: never loopback
        return f"{base}{path}" if base else None

    def _record_remediation(self, detail: RemediationRecommended) -> None:
        self.service.store.add_remediation(
            RemediationRecord(
                workflow_id=detail.workflow_id,
                recommendation_id=detail.recommendation_id,
                tier=detail.tier,
                playbook=detail.playbook,
                summary=detail.summary,
                trigger=detail.trigger,
                evidence=detail.evidence,
                recorded_at=detail.occurred_at,
            )
        )


def _dead_lettered(engine: Engine, detail: MessageDeadLettered) -> None:
    task = engine.tasks.get(detail.task_id or "")
    if task is not None and not task.status.terminal:
        engine.fail(task.task_id, None, detail.reason, retryable=False)
    elif detail.task_id is None:
        engine.abort(detail.reason)
