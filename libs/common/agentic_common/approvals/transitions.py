"""Pure state transitions of an approval, shared by every store adapter.

Every audit entry names who, when and the digest the action was taken on.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from agentic_common.approvals.models import Approval, ApprovalStatus, AuditEntry
from agentic_common.approvals.port import (
    ApprovalNotPendingError,
    DuplicateApproverError,
    SelfApprovalError,
)
from agentic_common.approvals.rules import effective_rule

VOIDABLE = frozenset({ApprovalStatus.PENDING, ApprovalStatus.APPROVED})


def now_utc() -> datetime:
    return datetime.now(UTC)


def with_request_audit(approval: Approval) -> Approval:
    if approval.audit:
        return approval
    entry = AuditEntry(
        at=approval.requested_at,
        actor=approval.requested_by,
        action="requested",
        comment=approval.summary,
        digest=approval.digest,
    )
    return approval.model_copy(update={"audit": (entry,)})


def expire(approval: Approval, now: datetime) -> Approval:
    entry = AuditEntry(at=now, actor="system", action="expired", digest=approval.digest)
    return approval.model_copy(update={"status": ApprovalStatus.EXPIRED, "audit": (*approval.audit, entry)})


def _pending(approval: Approval, now: datetime) -> None:
    if approval.status is not ApprovalStatus.PENDING:
        raise ApprovalNotPendingError(
            f"approval {approval.approval_id} is {approval.status.value}; it can no longer be decided"
        )
    if approval.expired_at(now):
        raise ApprovalNotPendingError(
            f"approval {approval.approval_id} expired at {approval.expires_at.isoformat()}"
        )


def _same(names: Collection[str]) -> set[str]:
    return {n.strip().casefold() for n in names if n and n.strip()}


def _check_approver(approval: Approval, user: str, aliases: Collection[str]) -> None:
    rule = effective_rule(approval)
    who = _same((user, *aliases))
    requester = _same((approval.requested_by, approval.via or ""))
    if not rule.requester_may_approve and who & requester:
        raise SelfApprovalError(
            f"four eyes: {user} requested this {approval.kind} ({approval.requested_by}"
            f"{f' via {approval.via}' if approval.via else ''}) and may not approve it; the "
            f"{approval.environment} rule is {rule.describe()} "
            f"(environments.{approval.environment}.approval.requester_may_approve = false)"
        )
    if who & _same(approval.approved_by):
        missing = rule.approvers - len(approval.approved_by)
        raise DuplicateApproverError(
            f"{user} has already approved {approval.approval_id}; the {approval.environment} rule is "
            f"{rule.describe()}: {missing} more approval(s) from someone else are needed"
        )


def decided(
    approval: Approval,
    approve: bool,
    user: str,
    comment: str,
    now: datetime,
    *,
    aliases: Collection[str] = (),
) -> Approval:
    """The approval after ``user``'s decision under its effective rule.

    A rejection ends it at once. An approval counts one distinct approver; the approval is
    ``approved`` when the rule's number is reached and stays pending until then.
    """
    _pending(approval, now)
    if not approve:
        entry = AuditEntry(at=now, actor=user, action="rejected", comment=comment, digest=approval.digest)
        return approval.model_copy(
            update={
                "status": ApprovalStatus.REJECTED,
                "decided_by": user,
                "comment": comment,
                "decided_at": now,
                "audit": (*approval.audit, entry),
            }
        )
    _check_approver(approval, user, aliases)
    approved_by = (*approval.approved_by, user)
    entry = AuditEntry(at=now, actor=user, action="approved", comment=comment, digest=approval.digest)
    update: dict[str, object] = {"approved_by": approved_by, "audit": (*approval.audit, entry)}
    if len(approved_by) >= max(effective_rule(approval).approvers, 1):
        update |= {
            "status": ApprovalStatus.APPROVED,
            "decided_by": user,
            "comment": comment,
            "decided_at": now,
        }
    return approval.model_copy(update=update)


def voided(approval: Approval, reason: str, now: datetime) -> Approval:
    if approval.status not in VOIDABLE:
        raise ApprovalNotPendingError(
            f"approval {approval.approval_id} is {approval.status.value}; cannot void it"
        )
    entry = AuditEntry(at=now, actor="system", action="voided", comment=reason, digest=approval.digest)
    return approval.model_copy(
        update={"status": ApprovalStatus.VOID, "comment": reason, "audit": (*approval.audit, entry)}
    )
