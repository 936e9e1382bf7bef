"""Pure statistics over probe samples: nearest-rank percentiles and the error rate."""

from __future__ import annotations

import math
from collections.abc import Sequence

from agentic_common.events.observability import ProbeMeasurements

from agentic_observability.ports import ProbeSample


def nearest_rank(values: Sequence[float], percentile: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``percentile`` % of values <= it."""
    if not values:
        raise ValueError("a percentile of no values is undefined")
    if not 0 < percentile <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {percentile}")
    ordered = sorted(values)
    rank = math.ceil(percentile / 100 * len(ordered))
    return ordered[rank - 1]


def measure(samples: Sequence[ProbeSample]) -> ProbeMeasurements:
    """Summarise samples. Failed requests count in the latencies too: a timeout is slow, not absent."""
    if not samples:
        raise ValueError("no probe samples to measure")
    latencies = [sample.latency_ms for sample in samples]
    errors = sum(1 for sample in samples if not sample.ok)
    return ProbeMeasurements(
        requests=len(samples),
        errors=errors,
        error_rate=errors / len(samples),
        p50_latency_ms=round(nearest_rank(latencies, 50), 3),
        p95_latency_ms=round(nearest_rank(latencies, 95), 3),
    )
