"""Is an anomaly evidence enough for a machine to act? The one rule, applied by the monitor.

A statistical deviation alone never is: under ordinary CPU load a p95 of 22.75 ms against a baseline of
4.75 ms has a robust z of several hundred and still meets an objective of 500 ms. An anomaly is
*actionable* only when all three hold:

1. the objective is breached: the absolute SLO (environment table, or the service's stricter one),
   compared by the same ``evaluate_slo`` that judges rollout steps and verifications;
2. on at least ``min_samples`` samples (requests in the window, or health probes in a failing streak);
3. by an effect of at least ``min_effect``: (value - baseline) / objective, so a service that always ran
   just under its objective and drifts just over it is not restarted for it.

Remediation reads the answer (``SloCheck.actionable``) and never re-derives it; everything that is not
actionable is advisory there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from agentic_common.events.observability import Slo, SloCheck
from agentic_common.slo import Measurements, evaluate_slo

Unit = Literal["requests", "probes"]
# a zero-tolerance objective (max_error_rate 0) still gives a finite effect: measured against 0.1 %
MIN_RATE_SCALE = 0.001
# which objective a monitored series is judged on; health probes count as requests for the error rate
OBJECTIVE_METRIC = {"p95_latency_ms": "p95_latency_ms", "error_rate": "error_rate", "health": "error_rate"}


@dataclass(frozen=True)
class EvidenceRule:
    """The effect an automated action needs, as a share of the objective (0.25: a quarter of it)."""

    min_effect: float = 0.25

    def __post_init__(self) -> None:
        if not 0 <= self.min_effect <= 100:
            raise ValueError(f"min_effect must be between 0 and 100, got {self.min_effect}")


@dataclass(frozen=True)
class Objective:
    """The SLO a running deployment is held to, and where it comes from (for people reading why)."""

    slo: Slo
    source: str


def _effect(value: float, baseline: float, threshold: float) -> float:
    return round((value - baseline) / (threshold if threshold > 0 else MIN_RATE_SCALE), 3)


def slo_check(
    series: str,
    measured: Measurements,
    *,
    baseline: float,
    objective: Objective,
    min_samples: int,
    rule: EvidenceRule,
    unit: Unit = "requests",
) -> SloCheck:
    """Judge ``series`` of one window (``measured``) against ``objective``; ``baseline`` is the series'
    normal value (the detector's baseline, or 0 failed probes for health)."""
    metric = OBJECTIVE_METRIC[series]
    verdict = evaluate_slo(objective.slo, measured, "monitor")
    found = next((e for e in verdict.evidence if e.metric == metric), None)
    value = found.value if found else 0.0
    # no requests at all: evaluate_slo judges nothing but the silence; the threshold is still the SLO's
    silent = objective.slo.p95_latency_ms if metric == "p95_latency_ms" else objective.slo.max_error_rate
    threshold = found.threshold if found else silent
    breached = found is not None and not found.passed
    effect = _effect(value, baseline, threshold)
    reasons = []
    if not breached:
        reasons.append(f"{series} {value:g} meets the objective of {threshold:g} ({objective.source})")
    if measured.requests < min_samples:
        reasons.append(f"only {measured.requests} {unit} in the window; at least {min_samples} are needed")
    if effect < rule.min_effect:
        reasons.append(
            f"the effect {effect:g} (value {value:g} against baseline {baseline:g}, as a share of the "
            f"objective) is below the minimum of {rule.min_effect:g}"
        )
    return SloCheck(
        metric=series,
        value=value,
        baseline=baseline,
        objective=threshold,
        objective_source=objective.source,
        breached=breached,
        samples=measured.requests,
        min_samples=min_samples,
        effect=effect,
        min_effect=rule.min_effect,
        actionable=not reasons,
        reasons=tuple(reasons),
    )
