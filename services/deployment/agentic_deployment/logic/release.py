"""Move traffic from the live version to a new one, step by step, every step judged on the SLO.

A step advances only on a passing verdict. A breach, or no verdict at all (too few measured
requests), sends all traffic back to the old version and raises ``GateFailedError`` saying which
step stopped and why; the caller stops the new version. Pure over the ports: a router, a load probe and
a clock. Every step is recorded with the traffic share of each version, its start and end time and its
verdict, the first deployment's one step (100 % on the new version, nothing to share with) included.

Before its first step the new version answers ``warm_up`` requests pinned to it that are not judged, as a
canary analysis starts after an initial delay: a fresh process's first answers (lazy imports, JIT, the
first connection to its store) say how it starts, not how it serves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from agentic_deployment.logic.step_gate import StepResult, judge_step
from agentic_deployment.logic.strategies import Step, probe_count, steps_for
from agentic_deployment.ports import DeployError, Gate, LoadProbe, Strategy, TrafficRouter

SOURCE = "local-proxy"
WARM_UP_REQUESTS = 5
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


class GateFailedError(DeployError):
    def __init__(self, message: str, steps: list[StepResult]) -> None:
        super().__init__(message, retryable=False, evidence={"steps": [s.as_dict() for s in steps]})
        self.steps = steps


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Release:
    router: TrafficRouter
    probe: LoadProbe
    gate: Gate
    clock: Callable[[], datetime] = _utc_now
    warm_up: int = WARM_UP_REQUESTS

    def run(self, strategy: Strategy, old: str | None, new: str) -> list[StepResult]:
        results: list[StepResult] = []
        if self.warm_up:  # pinned to the new version, before it takes any share; the first window drops it
            self.probe.send(self.router.url, self.gate.probe_path, self.warm_up, pin=new)
        for number, step in enumerate(steps_for(strategy, old is not None), start=1):
            started = self.clock()
            shares = self._route(old, new, step)
            judged = self._judge(new, step)
            result = replace(
                judged,
                traffic={new: 0, **shares},
                started_at=started.isoformat(),
                ended_at=self.clock().isoformat(),
            )
            results.append(result)
            if not result.advances:
                self.router.route({old: 100} if old else {})
                raise GateFailedError(
                    _stopped(strategy, number, step, new=new, old=old, result=result), results
                )
        return results

    def _route(self, old: str | None, new: str, step: Step) -> dict[str, int]:
        """Set the step's traffic; the share of each version, as routed."""
        if step.pinned and old:
            shares = {old: 100}
        elif old and step.weight < 100:
            shares = {old: 100 - step.weight, new: step.weight}
        else:
            shares = {new: 100} if old is None else {old: 0, new: 100}
        self.router.route({label: share for label, share in shares.items() if share})
        return shares

    def _judge(self, new: str, step: Step) -> StepResult:
        self.router.new_window()
        count = probe_count(step, self.gate.slo.requests)
        self.probe.send(self.router.url, self.gate.probe_path, count, pin=new if step.pinned else None)
        return judge_step(
            step.weight, step.label, self.gate, self.router.window(new), source=SOURCE, queries=QUERIES
        )


def _stopped(strategy: str, number: int, step: Step, *, new: str, old: str | None, result: StepResult) -> str:
    what = "failed its SLO gate" if result.passed is False else "has no gate verdict"
    back = f"traffic is back on {old} (100%)" if old else "there was no earlier version to return to"
    return (
        f"{strategy} step {number} ({step.label}) of {new} {what}: {result.why}. "
        f"The new version was stopped; {back}."
    )
