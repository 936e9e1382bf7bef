"""Nearest-rank percentiles and probe measurements (pure functions)."""

from __future__ import annotations

import pytest
from agentic_observability.logic.measurements import measure, nearest_rank
from agentic_observability.ports import ProbeSample


@pytest.mark.parametrize(
    ("percentile", "expected"),
    [(5, 15), (30, 20), (40, 20), (50, 35), (95, 50), (100, 50)],
)
def test_nearest_rank_matches_the_textbook_example(percentile: float, expected: float) -> None:
    # Given the classic nearest-rank example list, unsorted
    values = [35, 20, 50, 15, 40]
    # When / Then
    assert nearest_rank(values, percentile) == expected


def test_p95_of_one_to_a_hundred_is_ninety_five() -> None:
    # Given 1..100
    values = [float(v) for v in range(1, 101)]
    # When / Then
    assert nearest_rank(values, 95) == 95.0
    assert nearest_rank(values, 50) == 50.0


def test_p95_of_twenty_values_is_the_nineteenth_smallest() -> None:
    # Given 20 values: ceil(0.95 * 20) = 19
    values = [float(v) for v in range(20, 0, -1)]
    # When / Then
    assert nearest_rank(values, 95) == 19.0


def test_a_single_value_is_every_percentile() -> None:
    assert nearest_rank([7.5], 50) == 7.5
    assert nearest_rank([7.5], 95) == 7.5


def test_a_percentile_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="no values"):
        nearest_rank([], 95)


@pytest.mark.parametrize("percentile", [0, -1, 101])
def test_a_percentile_outside_zero_to_a_hundred_is_refused(percentile: float) -> None:
    with pytest.raises(ValueError, match="percentile must be"):
        nearest_rank([1.0, 2.0], percentile)


def test_measure_counts_errors_and_includes_their_latency() -> None:
    # Given 8 fast successes and 2 slow failures
    samples = [ProbeSample(10.0, ok=True)] * 8 + [ProbeSample(900.0, ok=False)] * 2
    # When
    measured = measure(samples)
    # Then the failures count as errors and their latency weighs on p95
    assert measured.requests == 10
    assert measured.errors == 2
    assert measured.error_rate == pytest.approx(0.2)
    assert measured.p50_latency_ms == 10.0
    assert measured.p95_latency_ms == 900.0


def test_measure_refuses_an_empty_probe() -> None:
    with pytest.raises(ValueError, match="no probe samples"):
        measure([])
