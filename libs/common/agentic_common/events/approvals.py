"""Events of the approval flow: ``approval.requested`` and ``approval.decided``.

``workflow_id`` is the approval's workflow, or the approval id when it belongs to no workflow
(remediation actions).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from agentic_common.approvals.models import Approval
from agentic_common.approvals.rules import effective_rule
from agentic_common.events.envelope import EventDetail


class ApprovalRequested(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "approval.requested"
    SOURCE_SERVICE: ClassVar[str] = "*"  # planner (deployments) or remediation

    approval_id: str = Field(min_length=1)
    kind: Literal["deployment", "remediation"]
    subject: str
    service: str
    environment: str
    digest: str
    summary: str
    requested_by: str
    expires_at: datetime | None = Field(default=None, description="after this, the approval expires")
    approvers_required: int = Field(default=1, ge=1, description="distinct approvals needed")
    requester_may_approve: bool = Field(default=True, description="false: four eyes")
    rule: str | None = Field(default=None, description="the rule in words: '1 approver, not the requester …'")
    via: str | None = Field(default=None, description="the service principal that asked for requested_by")


class ApprovalDecided(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "approval.decided"
    SOURCE_SERVICE: ClassVar[str] = "planner"

    approval_id: str = Field(min_length=1)
    kind: Literal["deployment", "remediation"]
    subject: str
    service: str
    environment: str
    decision: Literal["approved", "rejected"]
    digest: str
    decided_by: str
    comment: str
    approved_by: tuple[str, ...] = Field(default=(), description="every distinct approver, in order")


def requested_event(approval: Approval) -> ApprovalRequested:
    rule = effective_rule(approval)
    return ApprovalRequested(
        workflow_id=approval.workflow_id or approval.approval_id,
        approval_id=approval.approval_id,
        kind=approval.kind,
        subject=approval.subject,
        service=approval.service,
        environment=approval.environment,
        digest=approval.digest,
        summary=approval.summary,
        requested_by=approval.requested_by,
        expires_at=approval.expires_at,
        approvers_required=max(rule.approvers, 1),
        requester_may_approve=rule.requester_may_approve,
        rule=rule.describe(),
        via=approval.via,
    )


def decided_event(approval: Approval) -> ApprovalDecided:
    if approval.decided_by is None or approval.status.value not in ("approved", "rejected"):
        raise ValueError(f"approval {approval.approval_id} is {approval.status.value}, not decided")
    return ApprovalDecided(
        workflow_id=approval.workflow_id or approval.approval_id,
        approval_id=approval.approval_id,
        kind=approval.kind,
        subject=approval.subject,
        service=approval.service,
        environment=approval.environment,
        decision=approval.status.value,
        digest=approval.digest,
        decided_by=approval.decided_by,
        comment=approval.comment or "",
        approved_by=approval.approved_by,
    )
