"""From the chosen playbook to planned actions, each with its tier (from policy) and its digest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from agentic_common.approvals import digest_of

from agentic_remediation.logic.facts import Target
from agentic_remediation.logic.playbook_models import (
    EXECUTED_BY_DEPLOYMENT_WORKER,
    NO_EXECUTOR_REASON,
    ActionKind,
    BlastRadius,
    Playbook,
)
from agentic_remediation.logic.tiers import Tier, TierPolicy


@dataclass(frozen=True)
class PlannedAction:
    action_id: str
    action: ActionKind
    playbook: str
    parameters: dict[str, Any]
    target: Target | None
    blast_radius: BlastRadius
    tier: Tier
    reason: str
    decided_by: str
    executable: bool = field(default=False)

    @property
    def digest(self) -> str:
        return action_digest(self.action, self.parameters, self.target, self.playbook)

    def describe(self) -> str:
        target = self.target
        where = f" {target.service} ({target.deployment_id}) in {target.environment}" if target else ""
        params = ", ".join(f"{k}={v}" for k, v in sorted(self.parameters.items()))
        return f"{self.action}{where}" + (f" with {params}" if params else "")


def action_digest(action: str, parameters: dict[str, Any], target: Target | None, playbook: str) -> str:
    """sha256 of exactly what will be done: the action, its parameters, its target and the playbook."""
    return digest_of(
        action=action, parameters=parameters, target=target.as_dict() if target else None, playbook=playbook
    )


def action_id(trigger_key: str, playbook_id: str, index: int) -> str:
    """Deterministic: a redelivered trigger (or the same incident again) plans the same ids."""
    seed = f"{trigger_key}#{playbook_id}#{index}"
    return "act-" + hashlib.sha256(seed.encode()).hexdigest()[:20]


def _tier(
    kind: str, blast: BlastRadius, target: Target | None, policy: TierPolicy, held_back: str | None
) -> tuple[Tier, str, bool]:
    """(tier, reason, executable): the policy table decides; no executor, no target, an environment the
    environment table does not declare, or evidence that is not actionable means advisory."""
    if kind == "advise":
        return "advisory", NO_EXECUTOR_REASON["advise"], False
    if target is None:
        return "advisory", "the trigger names no running deployment to act on", False
    tier = policy.tier_for(target.environment, blast)
    if tier is None:
        return "advisory", f"environment {target.environment!r} is not in the environment table", False
    decided = f"{target.environment} with {blast} blast radius → {tier}"
    if kind not in EXECUTED_BY_DEPLOYMENT_WORKER:
        return "advisory", f"{decided}; recorded as advisory: {NO_EXECUTOR_REASON[kind]}", False
    if held_back is not None and tier != "advisory":
        return (
            "advisory",
            f"{decided}; recorded as advisory, the evidence does not allow it: {held_back}",
            False,
        )
    return tier, decided, tier != "advisory"


def plan(
    playbook: Playbook,
    parameters: dict[str, Any],
    target: Target | None,
    trigger_key: str,
    policy: TierPolicy,
    *,
    held_back: str | None = None,
) -> tuple[PlannedAction, ...]:
    """``held_back``: why the trigger's evidence allows no action (``evidence.held_back``); None: it does."""
    planned = []
    for index, spec in enumerate(playbook.actions):
        blast = spec.blast_radius or playbook.blast_radius
        tier, reason, executable = _tier(spec.action, blast, target, policy, held_back)
        planned.append(
            PlannedAction(
                action_id=action_id(trigger_key, playbook.id, index),
                action=spec.action,
                playbook=playbook.ref,
                parameters={name: parameters[name] for name in spec.uses},
                target=target,
                blast_radius=blast,
                tier=tier,
                reason=reason,
                decided_by=policy.ref,
                executable=executable,
            )
        )
    return tuple(planned)
