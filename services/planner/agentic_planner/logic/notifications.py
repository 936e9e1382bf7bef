"""What people read: a workflow's end, an approval to decide, a remediation action, an escalation.

Each renderer returns a channel-neutral ``Notification`` (title, text, facts, commands, links);
the Slack adapter turns it into Block Kit and cuts what is too long. ``event`` names the
notification within its workflow, the key of its once-only delivery.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentic_common.events.approvals import ApprovalRequested
from agentic_common.events.remediation import (
    RemediationActionCompleted,
    RemediationActionRequested,
    RemediationEscalated,
    RemediationRecommended,
)

from agentic_planner.logic.workflow_notice import render_workflow_end as render_notification
from agentic_planner.ports import Notification

__all__ = [
    "render_approval_request",
    "render_escalation",
    "render_notification",
    "render_recommendation",
    "render_remediation_action",
]

APPROVE_COMMAND = "agentic approvals {verb} {approval_id} --comment '<why>'"


def render_escalation(event: RemediationEscalated, record_url: str | None = None) -> Notification:
    """A remediation that failed, was refused or hit its loop bound: a person must look."""
    where = f" in {event.environment}" if event.environment else ""
    links = {"deployment": event.deployment_id} if event.deployment_id else {}
    if event.action_id:
        links["action"] = event.action_id
    return Notification(
        workflow_id=event.workflow_id,
        event=f"{event.DETAIL_TYPE}:{event.escalation_id}",
        status="escalated",
        title=f"{event.service}{where}: remediation needs a person",
        text=event.summary,
        links=links,
        record_url=record_url,
    )


def render_approval_request(
    event: ApprovalRequested, parameters: Mapping[str, Any], record_url: str | None = None
) -> Notification:
    """An approval waits for the approvers: what exactly, bound to which digest, until when, and how.

    ``parameters`` are those of the approval's workflow (version, strategy), if it has one.
    """
    facts = {
        "Approval": event.approval_id,
        "Kind": event.kind,
        "Service": event.service,
        "Environment": event.environment,
        "Version": str(parameters.get("version") or "-"),
        "Strategy": str(parameters.get("strategy") or "-"),
        "Digest": event.digest,
        "Expires": event.expires_at.isoformat() if event.expires_at else "-",
        "Requested by": event.requested_by + (f" (via {event.via})" if event.via else ""),
        "Rule": event.rule or f"{event.approvers_required} approver(s)",
    }
    commands = tuple(
        APPROVE_COMMAND.format(verb=verb, approval_id=event.approval_id) for verb in ("approve", "reject")
    )
    return Notification(
        workflow_id=event.workflow_id,
        event=f"{event.DETAIL_TYPE}:{event.approval_id}",
        status="awaiting_approval",
        title=f"Approval needed: {event.service} in {event.environment}",
        text=f"{event.summary}. Approving binds to digest {event.digest[:12]}; a changed plan voids it.",
        links={"approval": record_url} if record_url else {},
        facts=facts,
        commands=commands,
        record_url=record_url,
    )


def render_remediation_action(
    event: RemediationActionRequested | RemediationActionCompleted, record_url: str | None = None
) -> Notification:
    """Before and after every remediation action on a running deployment."""
    facts = {
        "Action": event.action,
        "Service": event.service,
        "Environment": event.environment,
        "Deployment": event.deployment_id,
        "Action id": event.action_id,
    }
    if isinstance(event, RemediationActionRequested):
        facts |= {"Tier": event.tier, "Playbook": event.playbook or "-", "Requested by": event.requested_by}
        status, title = "remediating", f"{event.service} in {event.environment}: {event.action} starting"
        playbook = event.playbook or "no playbook"
        text = f"Remediation will {event.action} {event.service} ({event.tier}, {playbook})."
        if event.reason:
            text += f" Why: {event.reason}"
    else:
        status = "remediated" if event.outcome == "succeeded" else "remediation_failed"
        title = f"{event.service} in {event.environment}: {event.action} {event.outcome}"
        text = event.detail or f"The {event.action} {event.outcome}."
    return Notification(
        workflow_id=event.workflow_id,
        event=f"{event.DETAIL_TYPE}:{event.action_id}",
        status=status,
        title=title,
        text=text,
        links={},
        facts=facts,
        record_url=record_url,
    )


def render_recommendation(event: RemediationRecommended, record_url: str | None = None) -> Notification:
    """An advisory finding remediation wants people to know about (no action was taken)."""
    facts = {"Tier": event.tier, "Playbook": event.playbook, "Trigger": event.trigger}
    return Notification(
        workflow_id=event.workflow_id,
        event=f"{event.DETAIL_TYPE}:{event.recommendation_id}",
        status="advisory",
        title=f"Remediation advice ({event.tier}): {event.playbook}",
        text=event.summary,
        links={},
        facts=facts,
        record_url=record_url,
    )
