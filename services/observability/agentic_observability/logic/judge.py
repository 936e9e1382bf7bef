"""Judge a deployment with every metrics source: one SLO verdict per source, all must pass."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from agentic_common.events.observability import ProbeMeasurements, Slo, SloEvidence
from agentic_common.slo import Measurements, SloVerdict, evaluate_slo

from agentic_observability.ports import MetricsSource, MetricsSourceError, MetricsTarget

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Judgement:
    passed: bool
    reasons: tuple[str, ...]
    evidence: tuple[SloEvidence, ...]
    measurements: Measurements
    sources: tuple[str, ...]
    skipped: tuple[str, ...]


def evidence_records(verdict: SloVerdict) -> tuple[SloEvidence, ...]:
    return tuple(SloEvidence(evidence_id=f"{e.source}:{e.metric}", **e.__dict__) for e in verdict.evidence)


def probe_measurements(m: Measurements) -> ProbeMeasurements:
    return ProbeMeasurements(
        requests=m.requests,
        errors=m.errors,
        error_rate=m.error_rate,
        p50_latency_ms=m.p50_ms,
        p95_latency_ms=m.p95_ms,
    )


def judge(slo: Slo, target: MetricsTarget, sources: Sequence[MetricsSource]) -> Judgement:
    """The first source is the probe (its measurements are reported); a source that cannot say
    anything about this service (retryable=False) is skipped and named; a transient failure raises."""
    verdicts: list[tuple[str, SloVerdict, Measurements]] = []
    skipped: list[str] = []
    for source in sources:
        try:
            reading = source.read(target)
        except MetricsSourceError as exc:
            if exc.retryable:
                raise
            log.warning("metrics source %s skipped: %s", source.name, exc)
            skipped.append(f"{source.name}: {exc}")
            continue
        if reading.measurements.requests == 0 and verdicts:
            # right after a deploy only the probe has traffic (services do not count /health)
            skipped.append(f"{source.name}: no requests recorded in the window")
            continue
        verdicts.append(
            (
                source.name,
                evaluate_slo(slo, reading.measurements, source.name, reading.queries),
                reading.measurements,
            )
        )
    if not verdicts:
        raise MetricsSourceError("no metrics source could measure the deployment: " + "; ".join(skipped))
    reasons = tuple(f"{name}: {r}" if len(verdicts) > 1 else r for name, v, _ in verdicts for r in v.reasons)
    return Judgement(
        passed=all(v.passed for _, v, _ in verdicts),
        reasons=reasons,
        evidence=tuple(e for _, v, _ in verdicts for e in evidence_records(v)),
        measurements=verdicts[0][2],
        sources=tuple(name for name, _, _ in verdicts),
        skipped=tuple(skipped),
    )
