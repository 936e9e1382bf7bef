"""Events the remediation service owns.

``remediation.recommended``: a record for the workflow (advisory text, or what was done and why).
``remediation.action_requested``: remediation asks the deployment worker to act on a running
deployment (routed to ``deployment-tasks``); the worker answers ``remediation.action_completed``
(routed to ``remediation-events``). The pair is also what people are told before and after an action
runs (the request carries the ``reason``). ``remediation.escalated``: a person must look (routed to the
planner, which notifies).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from agentic_common.events.envelope import EventDetail

RemediationActionName = Literal["restart", "rollback", "scale", "resync"]
Tier = Literal["automated", "assisted", "advisory"]


class RemediationRecommended(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "remediation.recommended"
    SOURCE_SERVICE: ClassVar[str] = "remediation"

    recommendation_id: str
    tier: Tier
    playbook: str
    summary: str = Field(min_length=1)
    trigger: str = Field(description="detail-type of the event that triggered it")
    trigger_event_id: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    notify: bool = Field(
        default=False,
        description="people should be told: an advisory-only finding on a running service, which no "
        "workflow notification carries (automated actions are told by action_requested/action_completed)",
    )


class RemediationActionRequested(EventDetail):
    """Run one action on a running deployment. Executed by the deployment worker on its target."""

    DETAIL_TYPE: ClassVar[str] = "remediation.action_requested"
    SOURCE_SERVICE: ClassVar[str] = "remediation"

    action_id: str = Field(min_length=1, max_length=128, description="idempotency key of the action")
    service: str = Field(min_length=1)
    deployment_id: str = Field(min_length=1)
    environment: str = Field(min_length=1)
    action: RemediationActionName
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description="restart: {}; scale: {replicas: int}; rollback: {to_version?: str}; resync: {}",
    )
    playbook: str = Field(default="", description="id@version of the playbook that chose the action")
    tier: Tier = "automated"
    approval_id: str | None = Field(default=None, description="set for assisted actions, after approval")
    requested_by: str = Field(default="remediation-policy", description="policy, or the approving person")
    reason: str = Field(default="", max_length=2000, description="why: the evidence and the policy decision")


class RemediationActionCompleted(EventDetail):
    """The executor's answer to ``remediation.action_requested`` (published by the deployment worker)."""

    DETAIL_TYPE: ClassVar[str] = "remediation.action_completed"
    SOURCE_SERVICE: ClassVar[str] = "deployment"

    action_id: str = Field(min_length=1, max_length=128)
    service: str
    deployment_id: str
    environment: str
    action: RemediationActionName
    outcome: Literal["succeeded", "failed"]
    detail: str = Field(default="", description="what happened, readable; the failure reason on failure")
    before: dict[str, Any] = Field(default_factory=dict, description="the target before (version, pid, url)")
    after: dict[str, Any] = Field(default_factory=dict, description="target state after")


class RemediationEscalated(EventDetail):
    """A remediation failed, was refused, or hit the loop bound: a person must look (planner notifies)."""

    DETAIL_TYPE: ClassVar[str] = "remediation.escalated"
    SOURCE_SERVICE: ClassVar[str] = "remediation"

    escalation_id: str
    service: str
    environment: str
    deployment_id: str | None = None
    action_id: str | None = None
    reason: str = Field(min_length=1)
    summary: str = Field(min_length=1)
