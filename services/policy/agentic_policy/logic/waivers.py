"""Waivers: a named exception to one rule, for one repository (optionally one resource and one
environment), until it expires.

A waiver that applies turns a violation into a *waived* one: reported as waived, never blocking,
never silently dropped. Only an ``active`` waiver applies: one that waits for its second approver
(``pending``) or has expired is ignored (the violation counts again). Every creation and approval is
kept in the waiver's ``audit`` trail (who, when, rule, scope, reason, expiry).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Literal

from agentic_common.events.policy import Violation
from pydantic import BaseModel, ConfigDict, Field, field_validator

RULE_PATTERN = r"^[A-Za-z0-9_:.\- ]{2,120}$"
WaiverStatus = Literal["pending", "active"]


class WaiverRequest(BaseModel):
    """What a person asks for (the API body)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(pattern=RULE_PATTERN, description="rule or check id, e.g. DOCKER-003 or CKV_AWS_18")
    repository: str = Field(
        min_length=1, max_length=200, description="repository (service) the waiver covers"
    )
    resource: str | None = Field(
        default=None, max_length=300, description="one resource or file; all if unset"
    )
    environment: str | None = Field(
        default=None, min_length=1, max_length=40, description="one environment; every one if unset"
    )
    owner: str = Field(min_length=3, max_length=200)
    reason: str = Field(min_length=10, max_length=2000)
    expires_at: datetime

    @field_validator("expires_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("expires_at needs a timezone, e.g. 2026-12-31T00:00:00Z")
        return value.astimezone(UTC)


class WaiverAuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    action: Literal["created", "approved"]
    by: str
    at: datetime
    rule: str
    repository: str
    resource: str | None
    environment: str | None
    reason: str
    expires_at: datetime


class Waiver(WaiverRequest):
    waiver_id: str
    created_by: str
    created_at: datetime
    # a record without a status (written before waivers were governed) waits for an approver
    status: WaiverStatus = "pending"
    four_eyes: bool = Field(default=True, description="a second approver, not the requester, is needed")
    owning_group: str | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    audit: tuple[WaiverAuditEntry, ...] = ()

    def is_active(self, now: datetime) -> bool:
        return self.status == "active" and now < self.expires_at

    def covers(self, violation: Violation, repository: str, environment: str) -> bool:
        if repository != self.repository or _rule_id(violation.rule) != self.rule:
            return False
        if self.environment is not None and self.environment != environment:
            return False
        return self.resource is None or self.resource in {violation.resource, violation.file}

    def audited(self, action: Literal["created", "approved"], by: str, at: datetime) -> WaiverAuditEntry:
        return WaiverAuditEntry(
            action=action,
            by=by,
            at=at,
            rule=self.rule,
            repository=self.repository,
            resource=self.resource,
            environment=self.environment,
            reason=self.reason,
            expires_at=self.expires_at,
        )


def waiver_id_of(request: WaiverRequest) -> str:
    identity = "\x1f".join(
        (
            request.rule,
            request.repository,
            request.resource or "*",
            request.environment or "*",
            request.owner,
            request.expires_at.isoformat(),
        )
    )
    return "wvr-" + hashlib.sha256(identity.encode()).hexdigest()[:24]


def new_waiver(
    request: WaiverRequest,
    created_by: str,
    now: datetime,
    *,
    four_eyes: bool = False,
    owning_group: str | None = None,
) -> Waiver:
    """A waiver as ``created_by`` asked for it: active at once, or pending when it needs four eyes."""
    waiver = Waiver(
        **request.model_dump(),
        waiver_id=waiver_id_of(request),
        created_by=created_by,
        created_at=now,
        status="pending" if four_eyes else "active",
        four_eyes=four_eyes,
        owning_group=owning_group,
    )
    return waiver.model_copy(update={"audit": (waiver.audited("created", created_by, now),)})


def approved(waiver: Waiver, approver: str, now: datetime) -> Waiver:
    """The waiver, active, approved by ``approver`` (the caller has checked they may)."""
    return waiver.model_copy(
        update={
            "status": "active",
            "approved_by": approver,
            "approved_at": now,
            "audit": (*waiver.audit, waiver.audited("approved", approver, now)),
        }
    )


def apply_waivers(
    violations: Sequence[Violation],
    waivers: Iterable[Waiver],
    repository: str,
    now: datetime,
    environment: str = "",
) -> tuple[tuple[Violation, ...], tuple[Violation, ...]]:
    """(still counted, waived): each waived violation carries the waiver's id."""
    active = [w for w in waivers if w.is_active(now)]
    counted: list[Violation] = []
    waived: list[Violation] = []
    for violation in violations:
        waiver = next((w for w in active if w.covers(violation, repository, environment)), None)
        if waiver is None:
            counted.append(violation)
        else:
            waived.append(violation.model_copy(update={"waiver_id": waiver.waiver_id}))
    return tuple(counted), tuple(waived)


def _rule_id(rule: str) -> str:
    return re.split(r"\s", rule.strip(), maxsplit=1)[0]
