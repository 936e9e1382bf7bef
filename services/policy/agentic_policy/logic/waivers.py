"""Waivers: a named exception to one rule, for one repository (optionally one resource), until it expires.

A waiver that applies turns a violation into a *waived* one: reported as waived, never blocking,
never silently dropped. An expired waiver is ignored (the violation counts again).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from agentic_common.events.policy import Violation
from pydantic import BaseModel, ConfigDict, Field, field_validator

RULE_PATTERN = r"^[A-Za-z0-9_:.\- ]{2,120}$"


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
    owner: str = Field(min_length=3, max_length=200)
    reason: str = Field(min_length=10, max_length=2000)
    expires_at: datetime

    @field_validator("expires_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("expires_at needs a timezone, e.g. 2026-12-31T00:00:00Z")
        return value.astimezone(UTC)


class Waiver(WaiverRequest):
    waiver_id: str
    created_by: str
    created_at: datetime

    def is_active(self, now: datetime) -> bool:
        return now < self.expires_at

    def covers(self, violation: Violation, repository: str) -> bool:
        if repository != self.repository or _rule_id(violation.rule) != self.rule:
            return False
        return self.resource is None or self.resource in {violation.resource, violation.file}


def new_waiver(request: WaiverRequest, created_by: str, now: datetime) -> Waiver:
    identity = "\x1f".join(
        (
            request.rule,
            request.repository,
            request.resource or "*",
            request.owner,
            request.expires_at.isoformat(),
        )
    )
    waiver_id = "wvr-" + hashlib.sha256(identity.encode()).hexdigest()[:24]
    return Waiver(**request.model_dump(), waiver_id=waiver_id, created_by=created_by, created_at=now)


def apply_waivers(
    violations: Sequence[Violation], waivers: Iterable[Waiver], repository: str, now: datetime
) -> tuple[tuple[Violation, ...], tuple[Violation, ...]]:
    """(still counted, waived): each waived violation carries the waiver's id."""
    active = [w for w in waivers if w.is_active(now)]
    counted: list[Violation] = []
    waived: list[Violation] = []
    for violation in violations:
        waiver = next((w for w in active if w.covers(violation, repository)), None)
        if waiver is None:
            counted.append(violation)
        else:
            waived.append(violation.model_copy(update={"waiver_id": waiver.waiver_id}))
    return tuple(counted), tuple(waived)


def _rule_id(rule: str) -> str:
    return re.split(r"\s", rule.strip(), maxsplit=1)[0]
