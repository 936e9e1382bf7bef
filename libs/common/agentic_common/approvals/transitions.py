"""Pure state transitions of an approval, shared by every store adapter."""

from __future__ import annotations

from datetime import UTC, datetime

from agentic_common.approvals.models import Approval, ApprovalStatus, AuditEntry
from agentic_common.approvals.port import ApprovalNotPendingError

VOIDABLE = frozenset({ApprovalStatus.PENDING, ApprovalStatus.APPROVED})


def now_utc() -> datetime:
    return datetime.now(UTC)


def with_request_audit(approval: Approval) -> Approval:
    if approval.audit:
        return approval
    entry = AuditEntry(
        at=approval.requested_at, actor=approval.requested_by, action="requested", comment=approval.summary
    )
    return approval.model_copy(update={"audit": (entry,)})


def expire(approval: Approval, now: datetime) -> Approval:
    entry = AuditEntry(at=now, actor="system", action="expired")
    return approval.model_copy(update={"status": ApprovalStatus.EXPIRED, "audit": (*approval.audit, entry)})


def decided(approval: Approval, approve: bool, user: str, comment: str, now: datetime) -> Approval:
    """The approval after ``user``'s decision; raises if it is not pending (or has expired)."""
    if approval.status is not ApprovalStatus.PENDING:
        raise ApprovalNotPendingError(
            f"approval {approval.approval_id} is {approval.status.value}; it can no longer be decided"
        )
    if approval.expired_at(now):
        raise ApprovalNotPendingError(
            f"approval {approval.approval_id} expired at {approval.expires_at.isoformat()}"
        )
    status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    entry = AuditEntry(at=now, actor=user, action=status.value, comment=comment)
    return approval.model_copy(
        update={
            "status": status,
            "decided_by": user,
            "comment": comment,
            "decided_at": now,
            "audit": (*approval.audit, entry),
        }
    )


def voided(approval: Approval, reason: str, now: datetime) -> Approval:
    if approval.status not in VOIDABLE:
        raise ApprovalNotPendingError(
            f"approval {approval.approval_id} is {approval.status.value}; cannot void it"
        )
    entry = AuditEntry(at=now, actor="system", action="voided", comment=reason)
    return approval.model_copy(
        update={"status": ApprovalStatus.VOID, "comment": reason, "audit": (*approval.audit, entry)}
    )
