"""The verdict of one rollout step: its measurements judged on the gate's SLO, recorded on the step.

One rule for every path (local proxy, Prometheus behind ArgoCD, a remediation rollback): a step
advances only on ``passed is True``. ``False`` is a judged breach; ``None`` is no verdict (fewer
requests than the gate needs, or the metrics could not be read), and a step without a verdict cannot
advance either. The judgement itself is ``agentic_common.slo.evaluate_slo``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from agentic_common.slo import Measurements, evaluate_slo

from agentic_deployment.ports import Gate


@dataclass(frozen=True)
class StepResult:
    weight: int  # percent of traffic on the new version during the step
    label: str
    passed: bool | None  # True advances; False (breach) and None (no verdict) stop the rollout
    reasons: tuple[str, ...] = ()
    measurements: dict[str, Any] | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    source: str = ""
    traffic: dict[str, int] = field(default_factory=dict)  # percent of traffic per version label
    started_at: str | None = None  # ISO 8601, UTC: when the step's traffic was set
    ended_at: str | None = None  # when its verdict was reached

    @property
    def advances(self) -> bool:
        return self.passed is True

    @property
    def why(self) -> str:
        return "; ".join(self.reasons) or "no reason was recorded"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def step_label(weight: int, pinned: bool = False) -> str:
    return "preview (0% of traffic)" if pinned else f"{weight}% of traffic"


def judge_step(
    weight: int,
    label: str,
    gate: Gate,
    measured: Measurements,
    *,
    source: str,
    queries: Mapping[str, str] | None = None,
) -> StepResult:
    """The step's verdict; fewer than ``gate.slo.requests`` measured requests is no verdict."""
    recorded = asdict(measured)
    wanted = gate.slo.requests
    if measured.requests < wanted:
        reason = (
            f"only {measured.requests} request(s) were measured and the gate needs {wanted} "
            "to judge the SLO, so the step has no verdict"
        )
        return StepResult(weight, label, None, (reason,), recorded, (), source)
    verdict = evaluate_slo(gate.slo, measured, source, queries)
    evidence = tuple(asdict(e) for e in verdict.evidence)
    return StepResult(weight, label, verdict.passed, verdict.reasons, recorded, evidence, source)


def no_verdict(weight: int, label: str, why: str, source: str) -> StepResult:
    """A step whose metrics could not be read at all: recorded, and it cannot advance."""
    return StepResult(weight, label, None, (f"no verdict: {why}",), None, (), source)
