"""The one table of environment rules (``rules.json`` beside this module), read once per process.

Every path that reaches an environment asks this table: the planner for approvals on every template
and route, the deployment worker for mandatory rollout gates, policy for its enforcement level,
remediation for whether an action needs a person. A template's own config may only make a rule
stricter (``EnvironmentRules.with_template``); nothing can make it weaker.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Threshold = Literal["none", "low", "medium", "high", "critical"]
_STRICTNESS: tuple[Threshold, ...] = ("none", "critical", "high", "medium", "low")


class UnknownEnvironmentError(ValueError):
    """An environment the table does not declare: nothing may reach it."""


class ApprovalRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    required: bool
    approvers: int = Field(ge=0, le=10, description="distinct approvers needed when required")
    requester_may_approve: bool = Field(description="false: four eyes, the requester cannot approve")

    def stricter(self, other: ApprovalRule) -> ApprovalRule:
        required = self.required or other.required
        return ApprovalRule(
            required=required,
            approvers=max(self.approvers, other.approvers, 1 if required else 0),
            requester_may_approve=self.requester_may_approve and other.requester_may_approve,
        )

    def describe(self) -> str:
        """What a person reads on an approval: ``2 distinct approvers, not the requester (four eyes)``."""
        if not self.required:
            return "no approval needed"
        who = "approver" if self.approvers == 1 else "distinct approvers"
        eyes = "" if self.requester_may_approve else ", not the requester (four eyes)"
        return f"{self.approvers} {who}{eyes}"


class SloObjective(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    p95_latency_ms: float = Field(gt=0)
    max_error_rate: float = Field(ge=0, le=1)
    requests: int = Field(ge=1, description="minimum requests in a step's window before it is judged")


class GateRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    required: bool = Field(description="every rollout step must be judged on the SLO before it advances")
    slo: SloObjective


class PolicyRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enforcement: Threshold = Field(description="lowest severity that blocks; none = advisory")


class EnvironmentRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    approval: ApprovalRule
    gates: GateRule
    policy: PolicyRule

    def with_template(self, config: Mapping[str, Any], environment: str) -> EnvironmentRules:
        """The row made stricter by a template task's config; a template can add rules, never remove."""
        approval = self.approval
        template_approval = config.get("approval")
        if isinstance(template_approval, Mapping) and environment in template_approval.get(
            "environments", ()
        ):
            approvers = template_approval.get("approvers", 1)
            approval = approval.stricter(
                ApprovalRule(
                    required=True,
                    approvers=approvers if type(approvers) is int and approvers >= 1 else 1,
                    requester_may_approve=template_approval.get("requester_may_approve") is not False,
                )
            )
        return self.model_copy(update={"approval": approval})


def stricter_threshold(a: Threshold, b: Threshold) -> Threshold:
    """The threshold that blocks more (``medium`` over ``high``, anything over ``none``)."""
    return a if _STRICTNESS.index(a) >= _STRICTNESS.index(b) else b


class RulesTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    environments: dict[str, EnvironmentRules]

    def for_environment(self, environment: str) -> EnvironmentRules:
        try:
            return self.environments[environment]
        except KeyError:
            known = ", ".join(self.environments)
            raise UnknownEnvironmentError(
                f"environment {environment!r} has no rules; expected one of: {known}"
            ) from None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.environments)


@cache
def load_rules() -> RulesTable:
    """The packaged table, validated at first use (a malformed table fails the process at start)."""
    text = resources.files(__package__).joinpath("rules.json").read_text(encoding="utf-8")
    document = {k: v for k, v in json.loads(text).items() if not k.startswith("$")}
    return RulesTable.model_validate(document)
