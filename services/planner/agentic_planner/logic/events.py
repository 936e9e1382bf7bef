"""The planner's reaction to each event type on its queue."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from agentic_common.events import Envelope
from agentic_common.events.delivery import MessageDeadLettered
from agentic_common.events.planner import WorkflowCompleted, WorkflowFailed
from agentic_common.events.remediation import RemediationEscalated, RemediationRecommended
from agentic_common.events.tasks import TaskCompleted, TaskFailed
from agentic_common.idempotency import ClaimStore
from agentic_common.state import RemediationRecord

from agentic_planner.logic.engine import Engine
from agentic_planner.logic.notifications import render_escalation, render_notification
from agentic_planner.logic.workflows import WorkflowService
from agentic_planner.ports import Notifier

log = logging.getLogger(__name__)


@dataclass
class PlannerEvents:
    service: WorkflowService
    notifier: Notifier
    claims: ClaimStore

    def handle(self, envelope: Envelope) -> None:
        detail = envelope.detail
        match detail:
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
            case WorkflowCompleted() | WorkflowFailed():
                self._notify(detail)
            case RemediationEscalated():
                self._send_once(detail.event_id, lambda: self.notifier.notify(render_escalation(detail)))
            case _:
                log.info("planner ignores %s", envelope.detail_type)

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

    def _notify(self, detail: WorkflowCompleted | WorkflowFailed) -> None:
        def send() -> None:
            state = self.service.store.load(detail.workflow_id)
            if state is not None:
                self.notifier.notify(render_notification(state, detail))

        self._send_once(detail.event_id, send)

    def _send_once(self, event_id: str, send: Callable[[], None]) -> None:
        key = f"notify#{event_id}"
        if not self.claims.claim(key, lease_seconds=60):
            return
        try:
            send()
        except Exception:
            self.claims.release(key)
            raise
        self.claims.complete(key)


def _dead_lettered(engine: Engine, detail: MessageDeadLettered) -> None:
    task = engine.tasks.get(detail.task_id or "")
    if task is not None and not task.status.terminal:
        engine.fail(task.task_id, None, detail.reason, retryable=False)
    elif detail.task_id is None:
        engine.abort(detail.reason)
