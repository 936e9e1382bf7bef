"""A trigger (failure, violation, anomaly): decide, then act on each planned action by its tier.

automated → ``remediation.action_requested`` at once (it is also what people are told before the action
runs, with the reason and the evidence; ``remediation.action_completed`` tells them after); assisted →
an approval bound to the action's digest; advisory → recorded only, and notified when it is an anomaly
on a running service (``remediation.recommended`` with ``notify``). An action runs only on actionable
evidence (``evidence.held_back``). Past the loop bound nothing acts: a person is asked instead.
"""

from __future__ import annotations

import logging

from agentic_common.approvals import Approval
from agentic_common.events import EventDetail
from agentic_common.events.approvals import requested_event
from agentic_common.events.remediation import RemediationActionRequested
from agentic_common.redact import redact

from agentic_remediation.logic.context import Remediation
from agentic_remediation.logic.decide import Decision
from agentic_remediation.logic.escalation import escalate
from agentic_remediation.logic.evidence import evidence_line
from agentic_remediation.logic.facts import trigger_key
from agentic_remediation.logic.planning import PlannedAction
from agentic_remediation.logic.recommend import recommendation
from agentic_remediation.ports import AuditKind, AuditRecord

log = logging.getLogger(__name__)


def approval_id_for(action_id: str) -> str:
    return "apr-" + action_id.removeprefix("act-")


def _record(
    detail: EventDetail, decision: Decision, action: PlannedAction, kind: AuditKind, decided_by: str
) -> AuditRecord:
    service = action.target.service if action.target else f"workflow:{detail.workflow_id}"
    return AuditRecord(
        service=service,
        at=detail.occurred_at,
        record_id=f"{action.action_id}#{kind}",
        kind=kind,
        decided_by=decided_by,
        workflow_id=detail.workflow_id,
        trigger=detail.DETAIL_TYPE,
        trigger_event_id=detail.event_id,
        trigger_key=trigger_key(detail),
        playbook=action.playbook,
        tier=action.tier,
        action=action.action,
        action_id=action.action_id,
        digest=action.digest,
        target=action.target.as_dict() if action.target else None,
        parameters=action.parameters,
        reason=action_reason(detail, action) + f"; ranked by {decision.ranking.ranked_by}",
    )


def action_request(
    detail: EventDetail, action: PlannedAction, requested_by: str, approval_id: str | None = None
) -> RemediationActionRequested:
    assert action.target is not None  # only executable actions (which have a target) get here
    return RemediationActionRequested(
        workflow_id=detail.workflow_id,
        action_id=action.action_id,
        service=action.target.service,
        deployment_id=action.target.deployment_id,
        environment=action.target.environment,
        action=action.action,  # executable actions are the event's four
        parameters=action.parameters,
        playbook=action.playbook,
        tier=action.tier,
        approval_id=approval_id,
        requested_by=requested_by,
        reason=action_reason(detail, action),
    )


def action_reason(detail: EventDetail, action: PlannedAction) -> str:
    """Why this action runs: the trigger, the policy's decision and the evidence."""
    evidence = evidence_line(detail)
    trigger = getattr(detail, "reason", None) or detail.DETAIL_TYPE
    return redact(f"{trigger}. {action.reason}" + (f". Evidence: {evidence}" if evidence else ""))


def _request_approval(remediation: Remediation, detail: EventDetail, action: PlannedAction) -> str:
    assert action.target is not None
    now = remediation.clock()
    approval = remediation.approvals.request(
        Approval(
            approval_id=approval_id_for(action.action_id),
            kind="remediation",
            subject=action.action_id,
            # No workflow_id: the approvals API resumes or aborts the workflow of an approval that has one,
            # which is right for deployments only. The audit record links the action to its workflow.
            workflow_id=None,
            service=action.target.service,
            environment=action.target.environment,
            digest=action.digest,
            summary=f"{action.describe()} (playbook {action.playbook}): {action.reason}",
            requested_by="remediation",
            requested_at=now,
            expires_at=now + remediation.approval_ttl,
        )
    )
    remediation.publisher.publish(requested_event(approval))
    return approval.approval_id


def _act(remediation: Remediation, detail: EventDetail, decision: Decision, action: PlannedAction) -> None:
    policy_ref = action.decided_by
    service = action.target.service if action.target else f"workflow:{detail.workflow_id}"
    if remediation.audit.of_action(service, action.action_id):
        log.info("action %s of this incident was already decided: nothing more to do", action.action_id)
        return
    if not action.executable or action.target is None:
        remediation.audit.append(_record(detail, decision, action, "recommended", policy_ref))
        return
    if remediation.bound_reached(action.target.service, action.action_id):
        suppressed = _record(detail, decision, action, "suppressed", "loop-bound")
        remediation.audit.append(suppressed)
        escalate(
            remediation,
            suppressed,
            f"loop bound reached ({remediation.bound.describe()}); did not {action.describe()}",
            detail.occurred_at,
        )
        return
    if action.tier == "automated":
        remediation.publisher.publish(action_request(detail, action, requested_by=policy_ref))
        remediation.audit.append(_record(detail, decision, action, "action_requested", policy_ref))
        return
    approval_id = _request_approval(remediation, detail, action)
    record = _record(detail, decision, action, "approval_requested", policy_ref)
    remediation.audit.append(record.model_copy(update={"approval_id": approval_id}))


def on_trigger(remediation: Remediation, detail: EventDetail) -> bool:
    """Handle one trigger; False when no playbook answers it (nothing is published)."""
    decision = remediation.decider.decide(detail)
    if decision is None:
        return False
    for action in decision.actions:
        _act(remediation, detail, decision, action)
    remediation.publisher.publish(recommendation(detail, decision))
    log.info(
        "%s %s: playbook %s, actions %s",
        detail.DETAIL_TYPE,
        detail.event_id,
        decision.playbook.ref,
        [(a.action, a.tier) for a in decision.actions],
    )
    return True
