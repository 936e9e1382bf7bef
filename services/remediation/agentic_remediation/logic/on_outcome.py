"""``remediation.action_completed``: audit the outcome (before/after); a failure escalates to a person."""

from __future__ import annotations

import logging

from agentic_common.events.remediation import RemediationActionCompleted
from agentic_common.redact import redact

from agentic_remediation.logic.context import Remediation
from agentic_remediation.logic.escalation import escalate
from agentic_remediation.ports import AuditRecord

log = logging.getLogger(__name__)


def _outcome_record(event: RemediationActionCompleted, requested: AuditRecord | None) -> AuditRecord:
    kind = "completed" if event.outcome == "succeeded" else "failed"
    fields = {
        "record_id": f"{event.action_id}#{kind}",
        "kind": kind,
        "at": event.occurred_at,
        "decided_by": "deployment-worker",
        "reason": redact(event.detail),
        "before": event.before,
        "after": event.after,
    }
    if requested is not None:
        return requested.model_copy(update=fields)
    target = {
        "service": event.service,
        "deployment_id": event.deployment_id,
        "environment": event.environment,
    }
    return AuditRecord(
        service=event.service,
        workflow_id=event.workflow_id,
        trigger=event.DETAIL_TYPE,
        trigger_event_id=event.event_id,
        action=event.action,
        action_id=event.action_id,
        target=target,
        **fields,
    )


def on_outcome(remediation: Remediation, event: RemediationActionCompleted) -> None:
    records = remediation.audit.of_action(event.service, event.action_id)
    requested = next((r for r in records if r.kind == "action_requested"), None)
    if requested is None:
        log.warning("outcome of %s, which remediation did not request here: audited only", event.action_id)
    record = _outcome_record(event, requested)
    remediation.audit.append(record)
    if event.outcome == "failed":
        escalate(
            remediation,
            record,
            f"{event.action} failed: {redact(event.detail) or 'no detail given'}",
            event.occurred_at,
        )
