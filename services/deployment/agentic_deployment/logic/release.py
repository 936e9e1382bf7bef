"""Move traffic from the live version to a new one, step by step, each gated step judged by the SLO.

A gate failure sends all traffic back to the old version and raises ``GateFailedError`` saying which
step failed and why; the caller stops the new version. Pure over the ports: a router and a load probe.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from agentic_common.slo import SloVerdict, evaluate_slo

from agentic_deployment.logic.strategies import Step, probe_count, steps_for
from agentic_deployment.ports import DeployError, Gate, LoadProbe, Strategy, TrafficRouter

SOURCE = "local-proxy"
QUERIES = {
    metric: f"proxy window: {metric} of the new version's answers"
    for metric in (
        "requests",
        "p50_latency_ms",
        "p95_latency_ms",
        "p99_latency_ms",
        "error_rate",
        "availability",
    )
}


@dataclass(frozen=True)
class StepResult:
    weight: int
    label: str
    passed: bool | None  # None: not gated
    reasons: tuple[str, ...] = ()
    measurements: dict[str, Any] | None = None
    evidence: tuple[dict[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class GateFailedError(DeployError):
    def __init__(self, message: str, steps: list[StepResult]) -> None:
        super().__init__(message, retryable=False, evidence={"steps": [s.as_dict() for s in steps]})
        self.steps = steps


@dataclass(frozen=True)
class Release:
    router: TrafficRouter
    probe: LoadProbe
    gate: Gate | None

    def run(self, strategy: Strategy, old: str | None, new: str) -> list[StepResult]:
        results: list[StepResult] = []
        for number, step in enumerate(steps_for(strategy, old is not None), start=1):
            self._route(old, new, step)
            if not step.gated or self.gate is None:
                results.append(StepResult(step.weight, step.label, None))
                continue
            verdict = self._judge(new, step)
            result = _result(step, verdict, asdict(self.router.window(new)))
            results.append(result)
            if not verdict.passed:
                self.router.route({old: 100} if old else {})
                back = (
                    f"traffic is back on {old} (100%)" if old else "there was no earlier version to return to"
                )
                raise GateFailedError(
                    f"{strategy} step {number} ({step.label}) of {new} failed its SLO gate: "
                    f"{'; '.join(verdict.reasons)}. The new version was stopped; {back}.",
                    results,
                )
        return results

    def _route(self, old: str | None, new: str, step: Step) -> None:
        if step.pinned and old:
            self.router.route({old: 100})
        elif old and step.weight < 100:
            self.router.route({old: 100 - step.weight, new: step.weight})
        else:
            self.router.route({new: 100})

    def _judge(self, new: str, step: Step) -> SloVerdict:
        assert self.gate is not None
        self.router.new_window()
        count = probe_count(step, self.gate.slo.requests)
        self.probe.send(self.router.url, self.gate.probe_path, count, pin=new if step.pinned else None)
        return evaluate_slo(self.gate.slo, self.router.window(new), SOURCE, QUERIES)


def _result(step: Step, verdict: SloVerdict, measured: dict[str, Any]) -> StepResult:
    evidence = tuple(asdict(e) for e in verdict.evidence)
    return StepResult(step.weight, step.label, verdict.passed, verdict.reasons, measured, evidence)
