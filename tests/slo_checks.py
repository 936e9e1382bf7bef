"""The monitor's SLO evidence as remediation tests use it: a service that stopped answering (actionable)
and ordinary latency noise far under the objective (not actionable)."""

from __future__ import annotations

from agentic_common.events.observability import SloCheck

DEAD_SERVICE = SloCheck(
    metric="health",
    value=1.0,
    baseline=0.0,
    objective=0.05,
    objective_source="environment dev",
    breached=True,
    samples=4,
    min_samples=4,
    effect=20.0,
    min_effect=0.25,
    actionable=True,
)

NOISY_LATENCY = SloCheck(
    metric="p95_latency_ms",
    value=22.75,
    baseline=4.75,
    objective=500.0,
    objective_source="environment dev",
    breached=False,
    samples=120,
    min_samples=20,
    effect=0.036,
    min_effect=0.25,
    actionable=False,
    reasons=("p95_latency_ms 22.75 meets the objective of 500 (environment dev)",),
)
