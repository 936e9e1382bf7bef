"""Escalation: a person must look. Published as ``remediation.escalated`` (the planner notifies), audited."""

from __future__ import annotations

import hashlib
from datetime import datetime

from agentic_common.events.remediation import RemediationEscalated
from agentic_common.redact import redact

from agentic_remediation.logic.context import Remediation
from agentic_remediation.ports import AuditRecord


def escalation_id(record: AuditRecord) -> str:
    seed = f"{record.action_id or record.trigger_event_id}#{record.kind}#{record.record_id}"
    return "esc-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def escalate(remediation: Remediation, cause: AuditRecord, reason: str, at: datetime) -> None:
    """Publish the escalation for ``cause`` (the record that made it necessary) and audit it."""
    target = cause.target or {}
    reason = redact(reason)
    summary = (
        f"Remediation of {cause.service} needs a person: {reason}. "
        f"Playbook {cause.playbook or '(none)'}, action {cause.action or '(none)'}"
        + (f" on {target.get('deployment_id')} in {target.get('environment')}" if target else "")
        + ". See the remediation-audit records of the service."
    )
    remediation.publisher.publish(
        RemediationEscalated(
            workflow_id=cause.workflow_id,
            escalation_id=escalation_id(cause),
            service=cause.service,
            environment=target.get("environment", "unknown"),
            deployment_id=target.get("deployment_id"),
            action_id=cause.action_id,
            reason=reason,
            summary=summary,
        )
    )
    remediation.audit.append(
        cause.model_copy(
            update={
                "record_id": f"{cause.record_id}#escalated",
                "kind": "escalated",
                "at": at,
                "decided_by": "remediation-escalation",
                "reason": reason,
            }
        )
    )
