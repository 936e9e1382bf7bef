"""Prometheus text parsing and histogram quantiles (the local scrape source)."""

from __future__ import annotations

import math

import pytest
from agentic_observability.logic.histogram import measurements_of, parse_histogram, quantile

TEXT = """# HELP http_request_duration_seconds Request duration
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{method="GET",path="/v1/items",status="200",le="0.1"} 80
http_request_duration_seconds_bucket{method="GET",path="/v1/items",status="200",le="0.5"} 95
http_request_duration_seconds_bucket{method="GET",path="/v1/items",status="200",le="+Inf"} 95
http_request_duration_seconds_count{method="GET",path="/v1/items",status="200"} 95
http_request_duration_seconds_sum{method="GET",path="/v1/items",status="200"} 4.2
http_request_duration_seconds_bucket{method="GET",path="/v1/items",status="500",le="0.1"} 0
http_request_duration_seconds_bucket{method="GET",path="/v1/items",status="500",le="0.5"} 0
http_request_duration_seconds_bucket{method="GET",path="/v1/items",status="500",le="+Inf"} 5
http_request_duration_seconds_count{method="GET",path="/v1/items",status="500"} 5
process_cpu_seconds_total 1.5
"""


def test_buckets_are_summed_across_series_and_5xx_counted_as_errors():
    histogram = parse_histogram(TEXT, "http_request_duration_seconds")
    assert histogram is not None
    assert histogram.buckets == {0.1: 80, 0.5: 95, math.inf: 100}
    assert histogram.count == 100
    assert histogram.errors == 5


def test_a_missing_metric_parses_to_none():
    assert parse_histogram("process_cpu_seconds_total 1.5\n", "http_request_duration_seconds") is None


def test_quantiles_interpolate_inside_the_bucket_like_prometheus():
    buckets = [(0.1, 50.0), (0.2, 100.0), (math.inf, 100.0)]
    assert quantile(0.5, buckets) == pytest.approx(0.1)
    assert quantile(0.75, buckets) == pytest.approx(0.15)
    # a rank in the +Inf bucket answers the highest finite bound
    assert quantile(0.99, [(0.1, 50.0), (math.inf, 100.0)]) == pytest.approx(0.1)
    assert math.isnan(quantile(0.5, []))


def test_measurements_come_from_the_difference_of_two_scrapes():
    # Given a scrape, then the same counters after 20 more requests (10 of them 5xx, all slow)
    before = parse_histogram(TEXT, "http_request_duration_seconds")
    later = (
        TEXT.replace('status="500",le="+Inf"} 5', 'status="500",le="+Inf"} 15')
        .replace('status="500"} 5', 'status="500"} 15')
        .replace('status="200",le="+Inf"} 95', 'status="200",le="+Inf"} 105')
    )
    later = later.replace('status="200"} 95', 'status="200"} 105')
    after = parse_histogram(later, "http_request_duration_seconds")
    assert before is not None
    assert after is not None
    # When measuring the interval
    m = measurements_of(after.minus(before))
    # Then the interval holds 20 requests, half of them errors, all beyond 0.5 s
    assert (m.requests, m.errors) == (20, 10)
    assert m.p50_ms == pytest.approx(500.0)


# As the generated Python/Node/Go services export them: latency without status, a counter with it
GENERATED = """# TYPE http_requests_total counter
http_requests_total{method="GET",route="/v1/items",status="200"} 47.0
http_requests_total{method="POST",route="/v1/items",status="503"} 3.0
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/items"} 40.0
http_request_duration_seconds_bucket{le="0.01",method="GET",route="/v1/items"} 47.0
http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/items"} 47.0
http_request_duration_seconds_count{method="GET",route="/v1/items"} 47.0
http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/items"} 0.0
http_request_duration_seconds_bucket{le="0.01",method="POST",route="/v1/items"} 1.0
http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/items"} 3.0
http_request_duration_seconds_count{method="POST",route="/v1/items"} 3.0
"""


def test_errors_come_from_the_status_counter_when_the_histogram_has_no_status_label():
    histogram = parse_histogram(GENERATED, "http_request_duration_seconds")
    assert histogram is not None
    m = measurements_of(histogram)
    assert (m.requests, m.errors) == (50, 3)
    assert m.p50_ms == pytest.approx(5 * 25 / 40)  # rank 25 of the 40 under 5 ms
