"""The remediation consumer's handler: claim the trigger once, recommend, publish, audit.

Not a TaskAgent: remediation answers events (task.failed, policy.violated, anomaly.detected),
not task.created. A duplicate trigger is a no-op; a failure releases the claim so the redelivery
tries again (the recommendation id is deterministic, so a second publish is recorded once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from agentic_common.bus import EventPublisher
from agentic_common.events import Envelope
from agentic_common.events.remediation import RemediationRecommended
from agentic_common.idempotency import ClaimStore

from agentic_remediation.logic.recommend import recommend
from agentic_remediation.ports import AuditEntry, AuditLog

log = logging.getLogger(__name__)

TRIGGERS = frozenset({"task.failed", "policy.violated", "anomaly.detected"})


def claim_key(event_id: str) -> str:
    return f"remediation#{event_id}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def audit_entry(recommendation: RemediationRecommended, at: datetime) -> AuditEntry:
    return AuditEntry(
        recorded_at=at,
        recommendation_id=recommendation.recommendation_id,
        workflow_id=recommendation.workflow_id,
        task_id=recommendation.task_id,
        tier=recommendation.tier,
        playbook=recommendation.playbook,
        trigger=recommendation.trigger,
        trigger_event_id=recommendation.trigger_event_id,
    )


@dataclass(frozen=True)
class RemediationAgent:
    publisher: EventPublisher
    claims: ClaimStore
    audit: AuditLog
    lease_seconds: int = 300
    clock: Callable[[], datetime] = _utc_now

    def handle(self, envelope: Envelope) -> None:
        detail = envelope.detail
        if envelope.detail_type not in TRIGGERS:
            log.info("ignoring %s: remediation answers only %s", envelope.detail_type, sorted(TRIGGERS))
            return
        recommendation = recommend(detail)
        if recommendation is None:
            log.info(
                "no recommendation for %s %s: another event covers it", envelope.detail_type, detail.event_id
            )
            return
        key = claim_key(detail.event_id)
        if not self.claims.claim(key, lease_seconds=self.lease_seconds):
            log.info("duplicate delivery of %s %s: already handled", envelope.detail_type, detail.event_id)
            return
        try:
            self.publisher.publish(recommendation)
            self.audit.append(audit_entry(recommendation, self.clock()))
        except Exception:
            self.claims.release(key)
            raise
        self.claims.complete(key)
        log.info(
            "recommended %s (%s) for %s %s",
            recommendation.playbook,
            recommendation.recommendation_id,
            envelope.detail_type,
            detail.event_id,
        )
