"""Approvals: a person's recorded yes or no, bound to the digest of what will be done."""

from agentic_common.approvals.memory import InMemoryApprovalStore
from agentic_common.approvals.models import Approval, ApprovalStatus, AuditEntry, digest_of
from agentic_common.approvals.port import (
    ApprovalError,
    ApprovalNotFoundError,
    ApprovalNotPendingError,
    ApprovalStore,
    DuplicateApproverError,
    SelfApprovalError,
)
from agentic_common.approvals.rules import effective_rule, rule_text, with_rule

__all__ = [
    "Approval",
    "ApprovalError",
    "ApprovalNotFoundError",
    "ApprovalNotPendingError",
    "ApprovalStatus",
    "ApprovalStore",
    "AuditEntry",
    "DuplicateApproverError",
    "InMemoryApprovalStore",
    "SelfApprovalError",
    "digest_of",
    "effective_rule",
    "rule_text",
    "with_rule",
]
