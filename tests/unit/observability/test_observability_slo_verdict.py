"""evaluate_slo: the shared SLO judge used after deploys and at canary steps."""

from __future__ import annotations

import pytest
from agentic_common.events.observability import Slo
from agentic_common.slo import Measurements, evaluate_slo

SLO = Slo(p95_latency_ms=200, max_error_rate=0.01, requests=20, p99_latency_ms=500, min_availability=0.99)


def test_measurements_within_every_objective_pass_with_evidence_for_each():
    # Given healthy measurements and the queries that produced them
    m = Measurements(requests=1000, errors=5, p50_ms=20, p95_ms=150, p99_ms=300)
    queries = {"p95_latency_ms": "histogram_quantile(0.95, ...)", "error_rate": "sum(rate(...))"}
    # When judged
    verdict = evaluate_slo(SLO, m, source="prometheus", queries=queries)
    # Then it passes and records one piece of evidence per objective, with its query and threshold
    assert verdict.passed
    assert verdict.reasons == ()
    by_metric = {e.metric: e for e in verdict.evidence}
    assert set(by_metric) == {"p95_latency_ms", "p99_latency_ms", "error_rate", "availability"}
    assert by_metric["p95_latency_ms"].query == "histogram_quantile(0.95, ...)"
    assert by_metric["error_rate"].value == pytest.approx(0.005)
    assert by_metric["availability"].threshold == 0.99
    assert all(e.source == "prometheus" and e.passed for e in verdict.evidence)


def test_a_slow_p99_and_too_many_errors_fail_with_a_reason_each():
    # Given a tail that is too slow and 3% errors
    m = Measurements(requests=100, errors=3, p50_ms=20, p95_ms=150, p99_ms=900)
    # When judged
    verdict = evaluate_slo(SLO, m, source="local")
    # Then it fails naming p99, error rate and availability
    assert not verdict.passed
    assert any("p99 latency 900.0 ms exceeds the SLO of 500 ms" in r for r in verdict.reasons)
    assert any("error rate 3.0%" in r for r in verdict.reasons)
    assert any("availability 97.0% is below" in r for r in verdict.reasons)
    failed = {e.metric for e in verdict.evidence if not e.passed}
    assert failed == {"p99_latency_ms", "error_rate", "availability"}


def test_no_traffic_cannot_pass_an_slo():
    # Given a window with no requests at all
    verdict = evaluate_slo(SLO, Measurements(0, 0, 0, 0, 0), source="canary")
    # Then the verdict fails and says why
    assert not verdict.passed
    assert "no requests" in verdict.reasons[0]


def test_objectives_the_slo_leaves_out_are_not_judged():
    # Given an SLO with only the required objectives
    slo = Slo(p95_latency_ms=100, max_error_rate=0.0, requests=5)
    # When p99 is huge but not part of the SLO
    verdict = evaluate_slo(slo, Measurements(10, 0, 1, 50, 10_000), source="local")
    # Then it passes on p95 and error rate alone
    assert verdict.passed
    assert [e.metric for e in verdict.evidence] == ["p95_latency_ms", "error_rate"]


def test_impossible_measurements_are_rejected():
    with pytest.raises(ValueError, match="cannot exceed"):
        Measurements(requests=1, errors=2, p50_ms=1, p95_ms=1, p99_ms=1)
