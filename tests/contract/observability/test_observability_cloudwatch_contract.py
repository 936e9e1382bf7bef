"""CloudWatchSource against a local server speaking GetMetricData (AWS query protocol, XML answers).

moto 5.2.5 answers HTTP 500 to extended statistics (p95), so the percentile path is checked here;
the count path also runs against moto (tests/integration/observability).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs

import boto3
import pytest
from agentic_observability.adapters.cloudwatch import CloudWatchSource
from agentic_observability.ports import MetricsSourceError, MetricsTarget
from botocore.config import Config
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TARGET = MetricsTarget("orders", "prod", "http://orders", window_seconds=600)
VALUES = {
    "requests": ["400", "600"],
    "errors": ["4", "1"],
    "p50": ["21.5"],
    "p95": ["140", "180"],
    "p99": ["420"],
}


def xml_answer(ids: list[str]) -> str:
    members = "".join(
        f"<member><Id>{i}</Id><Label>{i}</Label><StatusCode>Complete</StatusCode>"
        f"<Timestamps>{''.join('<member>2026-11-21T12:00:00Z</member>' for _ in VALUES[i])}</Timestamps>"
        f"<Values>{''.join(f'<member>{v}</member>' for v in VALUES[i])}</Values></member>"
        for i in ids
    )
    return (
        '<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricDataResult>'
        f"<MetricDataResults>{members}</MetricDataResults><Messages/></GetMetricDataResult>"
        "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetMetricDataResponse>"
    )


def handler(request: Request) -> Response:
    form = parse_qs(request.get_data(as_text=True))
    ids = [
        form[k][0] for k in sorted(form) if k.endswith(".Id") and k.startswith("MetricDataQueries.member.")
    ]
    return Response(xml_answer(ids), content_type="text/xml")


@pytest.fixture
def cloudwatch() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as server:
        yield server


def client(server: HTTPServer):
    return boto3.client(
        "cloudwatch",
        endpoint_url=server.url_for(""),
        region_name="eu-west-1",
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}),
    )


def test_read_asks_for_counts_and_extended_statistics_per_service_and_environment(cloudwatch: HTTPServer):
    # Given a CloudWatch that answers GetMetricData
    cloudwatch.expect_request("/", method="POST").respond_with_handler(handler)
    # When
    reading = CloudWatchSource(client(cloudwatch)).read(TARGET)
    # Then two signed GetMetricData calls: counts, then percentiles
    forms = [parse_qs(r.get_data(as_text=True)) for r, _ in cloudwatch.log]
    assert [f["Action"][0] for f in forms] == ["GetMetricData", "GetMetricData"]
    assert all(
        r.headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
        for r, _ in cloudwatch.log
    )
    stats = {f[k][0] for f in forms for k in f if k.endswith("MetricStat.Stat")}
    assert stats == {"SampleCount", "Sum", "p50", "p95", "p99"}
    first = forms[0]
    assert first["MetricDataQueries.member.1.MetricStat.Metric.Namespace"] == ["Agentic/Services"]
    assert first["MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value"] == ["orders"]
    assert first["MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.2.Value"] == ["prod"]
    assert first["MetricDataQueries.member.1.MetricStat.Period"] == ["600"]
    # and the measurements sum the counts and take the worst percentile of the window
    m = reading.measurements
    assert (m.requests, m.errors, m.p50_ms, m.p95_ms, m.p99_ms) == (1000, 5, 21.5, 180.0, 420.0)
    assert "p95" in reading.queries["p95_latency_ms"]


@pytest.mark.parametrize(
    ("status", "code", "retryable"), [(403, "AccessDenied", False), (400, "Throttling", True)]
)
def test_an_error_names_its_code_and_only_throttling_is_retried(
    cloudwatch: HTTPServer, status: int, code: str, retryable: bool
):
    error = (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>no</Message></Error>"
        "<RequestId>r</RequestId></ErrorResponse>"
    )
    cloudwatch.expect_request("/").respond_with_data(error, status=status, content_type="text/xml")
    with pytest.raises(MetricsSourceError, match=code) as caught:
        CloudWatchSource(client(cloudwatch)).read(TARGET)
    assert caught.value.retryable is retryable
