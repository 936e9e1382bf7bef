"""Reading the SLO from task config and detecting breaches."""

from __future__ import annotations

import pytest
from agentic_common.agent import TaskError
from agentic_common.events.observability import ProbeMeasurements, Slo
from agentic_observability.logic.slo import find_breaches, probe_path_from_config, slo_from_config

SLO = Slo(p95_latency_ms=500, max_error_rate=0.01, requests=50)


def _measured(p95: float, error_rate: float) -> ProbeMeasurements:
    return ProbeMeasurements(
        requests=50,
        errors=round(error_rate * 50),
        error_rate=error_rate,
        p50_latency_ms=p95 / 2,
        p95_latency_ms=p95,
    )


def test_measurements_within_the_slo_have_no_breach() -> None:
    assert find_breaches(SLO, _measured(p95=120.0, error_rate=0.0)) == ()


def test_measurements_exactly_at_the_slo_are_not_a_breach() -> None:
    assert find_breaches(SLO, _measured(p95=500.0, error_rate=0.01)) == ()


def test_slow_p95_is_reported_readably() -> None:
    # Given a p95 above the SLO
    breaches = find_breaches(SLO, _measured(p95=812.3, error_rate=0.0))
    # Then
    assert breaches == ("p95 latency 812.3 ms exceeds the SLO of 500 ms",)


def test_high_error_rate_is_reported_as_percentages() -> None:
    breaches = find_breaches(SLO, _measured(p95=100.0, error_rate=0.12))
    assert breaches == ("error rate 12.0% exceeds the SLO of 1.0%",)


def test_both_breaches_are_reported_together() -> None:
    breaches = find_breaches(SLO, _measured(p95=900.0, error_rate=0.5))
    assert len(breaches) == 2
    assert breaches[0].startswith("p95 latency")
    assert breaches[1].startswith("error rate 50.0%")


def test_the_slo_is_parsed_from_config() -> None:
    slo = slo_from_config({"slo": {"p95_latency_ms": 250, "max_error_rate": 0.05, "requests": 10}})
    assert slo == Slo(p95_latency_ms=250, max_error_rate=0.05, requests=10)


def test_a_missing_slo_fails_without_retry_and_says_what_to_add() -> None:
    with pytest.raises(TaskError, match=r"no SLO: add config\.slo") as caught:
        slo_from_config({})
    assert caught.value.retryable is False


def test_an_invalid_slo_names_the_bad_field() -> None:
    # Given an error rate above 1 and no request count
    config = {"slo": {"p95_latency_ms": 500, "max_error_rate": 3}}
    # When / Then
    with pytest.raises(TaskError, match=r"max_error_rate.*requests") as caught:
        slo_from_config(config)
    assert caught.value.retryable is False


def test_the_probe_path_defaults_to_health() -> None:
    assert probe_path_from_config({}) == "/health"
    assert probe_path_from_config({"probe_path": "/ready"}) == "/ready"


def test_a_probe_path_without_a_leading_slash_is_refused() -> None:
    with pytest.raises(TaskError, match="probe_path"):
        probe_path_from_config({"probe_path": "health"})
