"""Evaluate with the subject's waivers and keep a decision record: what the API and the task share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from agentic_policy.logic.decisions import DecisionRecord, decision_for
from agentic_policy.logic.engines import Scope
from agentic_policy.logic.evaluate import Evaluation, PolicyEngine
from agentic_policy.ports import DecisionStore, WaiverStore


@dataclass
class PolicyService:
    engine: PolicyEngine
    waivers: WaiverStore
    decisions: DecisionStore

    def evaluate(
        self,
        files: Mapping[str, bytes],
        environment: str,
        subject: str,
        *,
        scope: Scope | None = None,
        workflow_id: str | None = None,
    ) -> tuple[Evaluation, DecisionRecord]:
        waivers = self.waivers.for_repository(subject)
        evaluation = self.engine.evaluate(
            files, environment, repository=subject, waivers=waivers, scope=scope
        )
        decision = decision_for(evaluation, subject, self.engine.clock(), workflow_id, waivers)
        self.decisions.put(decision)
        return evaluation, decision
