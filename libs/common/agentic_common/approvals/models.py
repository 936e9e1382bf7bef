"""Approval records: a person's yes or no on exactly one thing that will be done.

An approval is bound to ``digest`` (sha256 of what will be done: the artifact and the plan). Whoever
acts on it re-computes the digest first; if it differs, the approval is void.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_APPROVAL_TTL = timedelta(hours=24)


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    VOID = "void"


class AuditEntry(BaseModel):
    """One line of an approval's audit trail: who did what, when, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: datetime
    actor: str
    action: Literal["requested", "approved", "rejected", "expired", "voided"]
    comment: str | None = None
    digest: str | None = Field(default=None, description="The digest the action was taken on.")


class Approval(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    approval_id: str = Field(min_length=1, max_length=128)
    kind: Literal["deployment", "remediation"]
    subject: str = Field(min_length=1, description="What is approved, e.g. a deployment or action id.")
    workflow_id: str | None = None
    service: str = Field(min_length=1)
    environment: str = Field(min_length=1)
    digest: str = Field(min_length=64, max_length=64, description="sha256 of exactly what will be done.")
    summary: str = Field(min_length=1)
    requested_by: str = Field(min_length=1)
    via: str | None = Field(default=None, description="The service principal that asked for requested_by.")
    requested_at: datetime
    expires_at: datetime
    approvers_required: int = Field(default=1, ge=1, le=10, description="Distinct approvals needed.")
    requester_may_approve: bool = Field(default=True, description="False: four eyes.")
    approved_by: tuple[str, ...] = Field(default=(), description="Approvers so far, in order.")
    status: ApprovalStatus = ApprovalStatus.PENDING
    decided_by: str | None = None
    comment: str | None = None
    decided_at: datetime | None = None
    audit: tuple[AuditEntry, ...] = ()

    def expired_at(self, now: datetime) -> bool:
        return self.status is ApprovalStatus.PENDING and now >= self.expires_at


def digest_of(**parts: Any) -> str:
    """sha256 over a canonical JSON of the parts (e.g. ``artifact=..., plan=...``)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
