"""PrometheusSource against a local server speaking /api/v1/query and /api/v1/query_range.

Asserts the PromQL we send, the bearer token, and how errors, timeouts and empty answers are handled.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
from agentic_observability.adapters.prometheus import PrometheusSource
from agentic_observability.ports import MetricsSourceError, MetricsTarget
from pydantic import SecretStr
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TARGET = MetricsTarget("orders", "dev", "http://orders", window_seconds=300)
TOKEN = "prom-token-123"


@pytest.fixture
def prometheus() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as server:
        yield server


def vector(value: str) -> dict:
    return {
        "status": "success",
        "data": {"resultType": "vector", "result": [{"metric": {}, "value": [1, value]}]},
    }


def answer_by_query(request: Request) -> Response:
    query = parse_qs(request.get_data(as_text=True))["query"][0]
    if query.startswith("histogram_quantile(0.5,"):
        value = "12.5"
    elif query.startswith("histogram_quantile(0.95,"):
        value = "180"
    elif query.startswith("histogram_quantile(0.99,"):
        value = "NaN"
    elif 'status=~"5.."' in query:
        value = "3"
    else:
        value = "1200"
    return Response(json.dumps(vector(value)), content_type="application/json")


def test_read_sends_the_documented_promql_with_the_token_and_builds_measurements(prometheus: HTTPServer):
    # Given a Prometheus that answers each query
    prometheus.expect_request("/api/v1/query", method="POST").respond_with_handler(answer_by_query)
    source = PrometheusSource(prometheus.url_for(""), token=SecretStr(TOKEN))
    # When
    reading = source.read(TARGET)
    # Then five instant queries were sent, form-encoded, with the bearer token
    sent = [
        (r.headers["Authorization"], parse_qs(r.get_data(as_text=True))["query"][0])
        for r, _ in prometheus.log
    ]
    assert {auth for auth, _ in sent} == {f"Bearer {TOKEN}"}
    queries = [q for _, q in sent]
    selector = 'service="orders",environment="dev"'
    assert f"sum(increase(http_requests_total{{{selector}}}[300s]))" in queries
    assert f'sum(increase(http_requests_total{{{selector},status=~"5.."}}[300s]))' in queries
    assert (
        "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket"
        '{service="orders",environment="dev"}[300s]))) * 1000'
    ) in queries
    m = reading.measurements
    assert (m.requests, m.errors, m.p50_ms, m.p95_ms, m.p99_ms) == (1200, 3, 12.5, 180.0, 0.0)
    assert reading.queries["p95_latency_ms"] in queries


def test_query_range_returns_points_and_drops_nan(prometheus: HTTPServer):
    body = {
        "status": "success",
        "data": {
            "resultType": "matrix",
            "result": [{"metric": {}, "values": [[100, "1"], [115, "NaN"], [130, "3.5"]]}],
        },
    }
    prometheus.expect_request("/api/v1/query_range", method="POST").respond_with_json(body)
    points = PrometheusSource(prometheus.url_for("")).series("up", start=100, end=130, step_seconds=15)
    assert points == [(100.0, 1.0), (130.0, 3.5)]
    sent = parse_qs(prometheus.log[0][0].get_data(as_text=True))
    assert (sent["start"], sent["end"], sent["step"]) == (["100.000"], ["130.000"], ["15s"])
    assert "Authorization" not in prometheus.log[0][0].headers


def test_an_empty_answer_means_no_traffic(prometheus: HTTPServer):
    empty = {"status": "success", "data": {"resultType": "vector", "result": []}}
    prometheus.expect_request("/api/v1/query").respond_with_json(empty)
    assert PrometheusSource(prometheus.url_for("")).read(TARGET).measurements.requests == 0


def test_a_bad_query_is_a_non_retryable_error_with_prometheus_message(prometheus: HTTPServer):
    error = {"status": "error", "errorType": "bad_data", "error": "parse error at char 5"}
    prometheus.expect_request("/api/v1/query").respond_with_json(error, status=400)
    with pytest.raises(MetricsSourceError, match="parse error at char 5") as caught:
        PrometheusSource(prometheus.url_for("")).instant("sum(")
    assert caught.value.retryable is False


def test_refused_credentials_say_which_setting_to_check(prometheus: HTTPServer):
    prometheus.expect_request("/api/v1/query").respond_with_data("unauthorized", status=401)
    with pytest.raises(MetricsSourceError, match="PROMETHEUS_TOKEN") as caught:
        PrometheusSource(prometheus.url_for(""), token=SecretStr(TOKEN)).instant("up")
    assert caught.value.retryable is False
    assert TOKEN not in str(caught.value)


def test_a_server_error_is_retryable(prometheus: HTTPServer):
    prometheus.expect_request("/api/v1/query").respond_with_data("overloaded", status=503)
    with pytest.raises(MetricsSourceError, match="503") as caught:
        PrometheusSource(prometheus.url_for("")).instant("up")
    assert caught.value.retryable is True


def test_a_slow_prometheus_times_out_as_a_retryable_error(prometheus: HTTPServer):
    def slow(_: Request) -> Response:
        time.sleep(0.5)
        return Response(json.dumps(vector("1")), content_type="application/json")

    prometheus.expect_request("/api/v1/query").respond_with_handler(slow)
    with pytest.raises(MetricsSourceError, match="timed out") as caught:
        PrometheusSource(prometheus.url_for(""), timeout_seconds=0.1).instant("up")
    assert caught.value.retryable is True
