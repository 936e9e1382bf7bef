"""The approval store port. Adapters: in-memory (``memory``) and DynamoDB (``dynamodb``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from agentic_common.approvals.models import Approval


class ApprovalError(RuntimeError):
    """Base of approval store errors; the message is for people."""


class ApprovalNotFoundError(ApprovalError):
    pass


class ApprovalNotPendingError(ApprovalError):
    """The approval was already decided, voided or has expired: a decision can no longer be taken."""


class SelfApprovalError(ApprovalError):
    """Four eyes: the requester (or the service principal that asked for them) may not approve."""


class DuplicateApproverError(ApprovalError):
    """This approver has already approved; the rule needs approvals from distinct people."""


class ApprovalStore(Protocol):
    def request(self, approval: Approval) -> Approval:
        """Store a new pending approval; idempotent on ``approval_id`` (returns the stored one)."""

    def get(self, approval_id: str) -> Approval | None: ...

    def decide(
        self, approval_id: str, approve: bool, user: str, comment: str, *, aliases: Collection[str] = ()
    ) -> Approval:
        """Approve or reject a pending approval under its rule (conditional write: only one change wins).

        ``aliases`` are other names of ``user`` (e.g. the token's e-mail), for the four-eyes check. An
        approval is ``approved`` once its rule's number of distinct approvers have approved; before
        that it stays pending, with each approver recorded in ``approved_by`` and the audit trail.
        """

    def void(self, approval_id: str, reason: str) -> Approval:
        """Mark a pending or approved approval void (what it was bound to changed)."""

    def pending(self, kind: str | None = None) -> list[Approval]:
        """Pending approvals that have not expired, oldest first."""
