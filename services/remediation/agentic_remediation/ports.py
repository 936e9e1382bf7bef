"""Ports of the remediation service."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict


class AuditEntry(BaseModel):
    """One line of the audit log: which recommendation was made for what. Ids only, never evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    recorded_at: datetime
    recommendation_id: str
    workflow_id: str
    task_id: str | None
    tier: str
    playbook: str
    trigger: str
    trigger_event_id: str


class AuditLog(Protocol):
    def append(self, entry: AuditEntry) -> None:
        """Record one entry durably (append-only)."""
