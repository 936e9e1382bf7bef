"""Events of the approval flow: ``approval.requested`` and ``approval.decided``.

``workflow_id`` is the approval's workflow, or the approval id when it belongs to no workflow
(remediation actions).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from agentic_common.approvals.models import Approval
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


def requested_event(approval: Approval) -> ApprovalRequested:
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
    )
