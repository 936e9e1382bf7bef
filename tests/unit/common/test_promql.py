"""The one PromQL builder shared by the deployment gate and observability's Prometheus source."""

from __future__ import annotations

from agentic_common.promql import error_rate, request_queries, selector


def test_each_latency_quantile_has_its_own_histogram_quantile_query() -> None:
    # Given a service's labels
    labels = {"service": "orders", "environment": "dev"}
    # When its queries are built
    queries = request_queries(labels, "300s")
    # Then p50, p95 and p99 are three different quantiles of the same histogram, in milliseconds
    bucket = (
        'sum by (le) (rate(http_request_duration_seconds_bucket{service="orders",environment="dev"}[300s]))'
    )
    assert queries["p50_latency_ms"] == f"histogram_quantile(0.5, {bucket}) * 1000"
    assert queries["p95_latency_ms"] == f"histogram_quantile(0.95, {bucket}) * 1000"
    assert queries["p99_latency_ms"] == f"histogram_quantile(0.99, {bucket}) * 1000"


def test_requests_and_errors_count_the_requests_counter_with_5xx_for_errors() -> None:
    # Given / When
    queries = request_queries({"namespace": "orders"}, "5m")
    # Then
    assert queries["requests"] == 'sum(increase(http_requests_total{namespace="orders"}[5m]))'
    assert queries["errors"] == 'sum(increase(http_requests_total{namespace="orders",status=~"5.."}[5m]))'
    assert error_rate(queries) == f"({queries['errors']}) / ({queries['requests']})"


def test_a_quote_in_a_label_value_cannot_end_the_selector() -> None:
    # Given a value with a quote and a backslash / When
    built = selector({"service": 'a"b\\c'})
    # Then both are escaped
    assert built == 'service="a\\"b\\\\c"'
