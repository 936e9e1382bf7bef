"""The remediation consumer's handler: claim each event once, then route it to its flow.

Triggers (task.failed, policy.violated, anomaly.detected) → decide and act; approval.decided →
re-check and act (or void); remediation.action_completed → audit the outcome, escalate failures.
A duplicate event is a no-op; a failure releases the claim so the redelivery tries again (every id
derived from the event is deterministic and every audit write is conditional, so a retry adds nothing).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from agentic_common.events import Envelope, EventDetail
from agentic_common.events.approvals import ApprovalDecided
from agentic_common.events.remediation import RemediationActionCompleted
from agentic_common.idempotency import ClaimStore, once

from agentic_remediation.logic.context import Remediation
from agentic_remediation.logic.on_decision import on_decision
from agentic_remediation.logic.on_outcome import on_outcome
from agentic_remediation.logic.on_trigger import on_trigger

log = logging.getLogger(__name__)

TRIGGERS = frozenset({"task.failed", "policy.violated", "anomaly.detected"})
HANDLED = TRIGGERS | {"approval.decided", "remediation.action_completed"}


def claim_key(event_id: str) -> str:
    return f"remediation#{event_id}"


@dataclass(frozen=True)
class RemediationAgent:
    remediation: Remediation
    claims: ClaimStore
    lease_seconds: int = 300

    def handle(self, envelope: Envelope) -> None:
        detail = envelope.detail
        if envelope.detail_type not in HANDLED:
            log.info("ignoring %s: remediation answers only %s", envelope.detail_type, sorted(HANDLED))
            return
        with once(self.claims, claim_key(detail.event_id), lease_seconds=self.lease_seconds) as owned:
            if not owned:
                log.info("duplicate delivery of %s %s: already handled", detail.DETAIL_TYPE, detail.event_id)
                return
            self._route(detail)

    def _route(self, detail: EventDetail) -> None:
        match detail:
            case ApprovalDecided():
                on_decision(self.remediation, detail)
            case RemediationActionCompleted():
                on_outcome(self.remediation, detail)
            case _:
                if not on_trigger(self.remediation, detail):
                    log.info("no playbook answers %s %s", detail.DETAIL_TYPE, detail.event_id)
