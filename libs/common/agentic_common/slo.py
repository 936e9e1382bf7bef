"""Judge measurements against a service's SLO, keeping the evidence of every comparison.

Shared by the observability verify task (after a deploy) and the deployment service (each canary
step). Pure: the measurements come from whichever metrics source the caller read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from agentic_common.events.observability import Slo


@dataclass(frozen=True)
class Measurements:
    """Request counts and latency percentiles over one window, from one source."""

    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    def __post_init__(self) -> None:
        if self.requests < 0 or self.errors < 0:
            raise ValueError(f"requests ({self.requests}) and errors ({self.errors}) must not be negative")
        if self.errors > self.requests:
            raise ValueError(f"errors ({self.errors}) cannot exceed requests ({self.requests})")

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    @property
    def availability(self) -> float:
        return 1.0 - self.error_rate


@dataclass(frozen=True)
class Evidence:
    """One comparison: what was measured (and how), against which threshold, and the outcome."""

    metric: str
    query: str
    value: float
    threshold: float
    passed: bool
    source: str


@dataclass(frozen=True)
class SloVerdict:
    passed: bool
    reasons: tuple[str, ...]
    evidence: tuple[Evidence, ...]


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _checks(slo: Slo, m: Measurements) -> list[tuple[str, float, float, bool, str]]:
    """(metric, value, threshold, passed, reason-if-failed) for every objective the SLO sets."""
    checks: list[tuple[str, float, float, bool, str]] = []
    for metric, value, limit in (
        ("p50_latency_ms", m.p50_ms, slo.p50_latency_ms),
        ("p95_latency_ms", m.p95_ms, slo.p95_latency_ms),
        ("p99_latency_ms", m.p99_ms, slo.p99_latency_ms),
    ):
        if limit is not None:
            label = metric.split("_", 1)[0]
            reason = f"{label} latency {value:.1f} ms exceeds the SLO of {limit:g} ms"
            checks.append((metric, value, limit, value <= limit, reason))
    rate, max_rate = m.error_rate, slo.max_error_rate
    reason = f"error rate {_percent(rate)} exceeds the SLO of {_percent(max_rate)}"
    checks.append(("error_rate", rate, max_rate, rate <= max_rate, reason))
    if slo.min_availability is not None:
        available, floor = m.availability, slo.min_availability
        reason = f"availability {_percent(available)} is below the SLO of {_percent(floor)}"
        checks.append(("availability", available, floor, available >= floor, reason))
    return checks


def evaluate_slo(
    slo: Slo, m: Measurements, source: str, queries: Mapping[str, str] | None = None
) -> SloVerdict:
    """Compare ``m`` with ``slo``. ``queries`` maps a metric name (``p95_latency_ms``, ``error_rate``,
    ``availability``, ``requests`` ...) to the query that produced it, recorded in the evidence.

    No requests at all is a failure: an SLO cannot be judged on silence.
    """
    asked = dict(queries or {})
    if m.requests == 0:
        silence = Evidence("requests", asked.get("requests", ""), 0.0, 1.0, False, source)
        return SloVerdict(False, ("no requests were measured, so the SLO cannot be judged",), (silence,))
    checks = _checks(slo, m)
    evidence = tuple(
        Evidence(metric, asked.get(metric, ""), value, threshold, passed, source)
        for metric, value, threshold, passed, _ in checks
    )
    reasons = tuple(reason for _, _, _, passed, reason in checks if not passed)
    return SloVerdict(passed=not reasons, reasons=reasons, evidence=evidence)
