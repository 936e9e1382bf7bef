"""Events the remediation service owns."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from agentic_common.events.envelope import EventDetail


class RemediationRecommended(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "remediation.recommended"
    SOURCE_SERVICE: ClassVar[str] = "remediation"

    recommendation_id: str
    tier: Literal["automated", "assisted", "advisory"]
    playbook: str
    summary: str = Field(min_length=1)
    trigger: str = Field(description="detail-type of the event that triggered it")
    trigger_event_id: str
    evidence: dict[str, Any] = Field(default_factory=dict)
