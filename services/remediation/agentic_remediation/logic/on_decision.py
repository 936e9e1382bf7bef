"""``approval.decided`` for a remediation: re-plan the action, re-check its digest, then act or void.

The action is re-planned from the current playbook catalogue and tier policy: if the playbook
changed, the parameters no longer fit, the tier is no longer ``assisted`` or the digest differs from
the approved one, the approval is void and a person is told. A rejection is audited; nothing runs.
"""

from __future__ import annotations

import logging

from agentic_common.approvals import ApprovalNotPendingError, ApprovalStatus
from agentic_common.events.approvals import ApprovalDecided
from agentic_common.events.remediation import RemediationActionRequested
from agentic_common.redact import redact

from agentic_remediation.logic.context import Remediation
from agentic_remediation.logic.escalation import escalate
from agentic_remediation.logic.facts import Target
from agentic_remediation.logic.planning import plan
from agentic_remediation.logic.ranking import validated
from agentic_remediation.ports import AuditRecord, Choice

log = logging.getLogger(__name__)
FINAL_KINDS = frozenset({"action_requested", "rejected", "voided"})


def replanned_digest(remediation: Remediation, requested: AuditRecord) -> tuple[str | None, str]:
    """The digest of what would be done now, or None with the reason it cannot be done any more."""
    playbook_id, _, version = requested.playbook.partition("@")
    playbook = remediation.decider.catalogue.get(playbook_id)
    if playbook is None or playbook.version != version:
        now = playbook.ref if playbook else "no such playbook"
        return None, f"playbook {requested.playbook} changed since the request (now {now})"
    choices, rejected = validated([Choice(playbook.id, dict(requested.parameters))], [playbook])
    if rejected:
        return None, f"the approved parameters no longer fit the playbook: {rejected[0]}"
    target = Target(**requested.target) if requested.target else None
    key = requested.trigger_key or requested.trigger_event_id
    # the evidence was actionable when the approval was requested; what is re-checked is the policy
    actions = plan(playbook, choices[0].parameters, target, key, remediation.decider.tiers)
    action = next((a for a in actions if a.action_id == requested.action_id), None)
    if action is None or action.tier != "assisted":
        return None, f"the tier policy now gives {action.tier if action else 'no such action'}, not assisted"
    return action.digest, ""


def _problem(remediation: Remediation, event: ApprovalDecided, requested: AuditRecord) -> str | None:
    stored = remediation.approvals.get(event.approval_id)
    if stored is None or stored.status is not ApprovalStatus.APPROVED:
        return f"the approval is {stored.status.value if stored else 'missing'}, not approved"
    digest, why = replanned_digest(remediation, requested)
    if digest is None:
        return why
    if not (digest == requested.digest == stored.digest == event.digest):
        return "what would be done now differs from what was approved (digest mismatch)"
    return None


def _void(remediation: Remediation, event: ApprovalDecided, requested: AuditRecord, problem: str) -> None:
    try:
        remediation.approvals.void(event.approval_id, problem)
    except ApprovalNotPendingError:
        log.info("approval %s could not be voided: it is no longer pending or approved", event.approval_id)
    voided = requested.model_copy(
        update={
            "record_id": f"{requested.action_id}#voided",
            "kind": "voided",
            "at": event.occurred_at,
            "decided_by": f"user:{event.decided_by}",
            "reason": problem,
        }
    )
    remediation.audit.append(voided)
    escalate(remediation, voided, f"approved action not run: {problem}", event.occurred_at)


def on_decision(remediation: Remediation, event: ApprovalDecided) -> None:
    if event.kind != "remediation":
        return
    records = remediation.audit.of_action(event.service, event.subject)
    requested = next((r for r in records if r.kind == "approval_requested"), None)
    if requested is None or any(r.kind in FINAL_KINDS for r in records):
        log.info("approval %s: no pending remediation action %s here", event.approval_id, event.subject)
        return
    by = f"user:{event.decided_by}"
    if event.decision == "rejected":
        remediation.audit.append(
            requested.model_copy(
                update={
                    "record_id": f"{requested.action_id}#rejected",
                    "kind": "rejected",
                    "at": event.occurred_at,
                    "decided_by": by,
                    "reason": event.comment or "rejected",
                }
            )
        )
        return
    problem = _problem(remediation, event, requested)
    if problem:
        _void(remediation, event, requested, problem)
        return
    target = requested.target or {}
    remediation.publisher.publish(
        RemediationActionRequested(
            workflow_id=requested.workflow_id,
            action_id=event.subject,
            service=target["service"],
            deployment_id=target["deployment_id"],
            environment=target["environment"],
            action=requested.action,  # only executable actions are approved
            parameters=requested.parameters,
            playbook=requested.playbook,
            tier="assisted",
            approval_id=event.approval_id,
            requested_by=by,
            reason=redact(f"approved by {by}. {requested.reason}"),
        )
    )
    remediation.audit.append(
        requested.model_copy(
            update={
                "record_id": f"{requested.action_id}#action_requested",
                "kind": "action_requested",
                "at": event.occurred_at,
                "decided_by": by,
                "reason": f"approved: {event.comment}".rstrip(": "),
            }
        )
    )
