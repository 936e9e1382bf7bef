"""LocalScrapeSource against a local server exposing Prometheus text on /metrics."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from agentic_observability.adapters.local_scrape import LocalScrapeSource
from agentic_observability.ports import MetricsSourceError, MetricsTarget
from pytest_httpserver import HTTPServer

EXPOSITION = """# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{method="GET",route="/v1/items",status_code="200",le="0.05"} 90
http_request_duration_seconds_bucket{method="GET",route="/v1/items",status_code="200",le="0.25"} 98
http_request_duration_seconds_bucket{method="GET",route="/v1/items",status_code="200",le="+Inf"} 98
http_request_duration_seconds_count{method="GET",route="/v1/items",status_code="200"} 98
http_request_duration_seconds_bucket{method="GET",route="/v1/items",status_code="503",le="0.05"} 2
http_request_duration_seconds_bucket{method="GET",route="/v1/items",status_code="503",le="0.25"} 2
http_request_duration_seconds_bucket{method="GET",route="/v1/items",status_code="503",le="+Inf"} 2
http_request_duration_seconds_count{method="GET",route="/v1/items",status_code="503"} 2
"""


@pytest.fixture
def service() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as server:
        yield server


def target(server: HTTPServer) -> MetricsTarget:
    return MetricsTarget("orders", "dev", server.url_for("").rstrip("/"))


def test_the_service_histogram_becomes_measurements_with_the_scrape_as_evidence(service: HTTPServer):
    service.expect_request("/metrics", method="GET").respond_with_data(EXPOSITION, content_type="text/plain")
    reading = LocalScrapeSource().read(target(service))
    m = reading.measurements
    assert (m.requests, m.errors) == (100, 2)
    assert m.p50_ms == pytest.approx(50 / 92 * 50, abs=0.01)  # rank 50 of the 92 under 50 ms
    assert reading.queries["error_rate"].startswith(f"GET {service.url_for('/metrics')}")


def test_a_service_without_the_histogram_cannot_be_judged_from_metrics(service: HTTPServer):
    service.expect_request("/metrics").respond_with_data("process_cpu_seconds_total 3\n")
    with pytest.raises(MetricsSourceError, match="exposes no http_request_duration_seconds") as caught:
        LocalScrapeSource().read(target(service))
    assert caught.value.retryable is False


def test_a_failing_metrics_endpoint_is_named(service: HTTPServer):
    service.expect_request("/metrics").respond_with_data("boom", status=500)
    with pytest.raises(MetricsSourceError, match="answered HTTP 500"):
        LocalScrapeSource().read(target(service))
