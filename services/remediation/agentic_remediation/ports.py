"""Ports of the remediation service: the audit trail (``remediation-audit`` table) and the ranker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from agentic_remediation.logic.facts import Facts
from agentic_remediation.logic.playbook_models import Playbook

AuditKind = Literal[
    "recommended",  # advisory: recommendation only (or no executor here)
    "action_requested",  # automated, or assisted after approval: sent to the executor
    "approval_requested",  # assisted: waiting for a person
    "rejected",  # a person said no
    "voided",  # the approval no longer matched what would be done
    "completed",  # the executor reported success
    "failed",  # the executor reported failure
    "suppressed",  # the loop bound was reached: a person was asked instead
    "escalated",  # a person was notified
]
# What counts against the loop bound: every attempt to change a running service.
ACTING_KINDS: frozenset[str] = frozenset({"action_requested", "approval_requested"})


class AuditRecord(BaseModel):
    """Who or what decided, what was (to be) done on which target, before/after, and the outcome."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    service: str = Field(min_length=1)
    at: datetime = Field(description="when the event that caused this record occurred")
    record_id: str = Field(min_length=1, description="deterministic: a redelivery writes the same id")
    kind: AuditKind
    decided_by: str = Field(description="the policy, the ranker, the approving person or the executor")
    workflow_id: str
    trigger: str
    trigger_event_id: str
    trigger_key: str = Field(default="", description="the incident id, or the trigger's event id")
    playbook: str = ""
    tier: str = ""
    action: str | None = None
    action_id: str | None = None
    approval_id: str | None = None
    digest: str | None = None
    target: dict[str, str] | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    reason: str = ""
    before: dict[str, Any] = Field(default_factory=dict)
    after: dict[str, Any] = Field(default_factory=dict)


class AuditStore(Protocol):
    def append(self, record: AuditRecord) -> bool:
        """Store once; False (and no change) when this record id at this time is already there."""

    def of_service(self, service: str, since: datetime | None = None) -> list[AuditRecord]:
        """The service's records (since ``since``), oldest first."""

    def of_action(self, service: str, action_id: str) -> list[AuditRecord]:
        """Every record of one action, oldest first."""


@dataclass(frozen=True)
class Choice:
    """One ranked playbook with the parameter values to use, and why."""

    playbook_id: str
    parameters: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


class RankingError(RuntimeError):
    """The model could not be asked or gave no usable answer (the caller falls back)."""


class Ranker(Protocol):
    name: str

    def rank(self, playbooks: Sequence[Playbook], facts: Facts) -> list[Choice]:
        """Order ``playbooks`` (best first) for ``facts``; may raise ``RankingError``."""
