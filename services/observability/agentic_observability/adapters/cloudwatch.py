"""Metrics from CloudWatch ``GetMetricData`` (boto3).

Services publish a latency metric (milliseconds, one sample per request) and a server-error count,
with ``Service`` and ``Environment`` dimensions. Requests are the latency's SampleCount; latency
percentiles are CloudWatch's extended statistics (p50, p95, p99).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from agentic_common.slo import Measurements
from botocore.exceptions import BotoCoreError, ClientError

from agentic_observability.ports import MetricsSourceError, MetricsTarget, Reading

PERCENTILES = ("p50", "p95", "p99")


class CloudWatchSource:
    name = "cloudwatch"

    def __init__(
        self,
        client: Any,
        namespace: str = "Agentic/Services",
        latency_metric: str = "RequestLatency",
        errors_metric: str = "ServerErrors",
    ) -> None:
        self._cw = client
        self._namespace = namespace
        self._latency = latency_metric
        self._errors = errors_metric

    def _stat(self, query_id: str, metric: str, stat: str, target: MetricsTarget) -> dict[str, Any]:
        dimensions = [
            {"Name": "Service", "Value": target.service},
            {"Name": "Environment", "Value": target.environment},
        ]
        period = max(60, target.window_seconds // 60 * 60)
        return {
            "Id": query_id,
            "MetricStat": {
                "Metric": {"Namespace": self._namespace, "MetricName": metric, "Dimensions": dimensions},
                "Period": period,
                "Stat": stat,
            },
            "ReturnData": True,
        }

    def _get(self, queries: list[dict[str, Any]], target: MetricsTarget) -> dict[str, list[float]]:
        end = datetime.now(UTC)
        try:
            answer = self._cw.get_metric_data(
                MetricDataQueries=queries,
                StartTime=end - timedelta(seconds=target.window_seconds),
                EndTime=end,
            )
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            retryable = code in {"Throttling", "InternalServiceError", "ServiceUnavailable"}
            raise MetricsSourceError(f"CloudWatch GetMetricData failed: {code}", retryable=retryable) from exc
        except BotoCoreError as exc:
            raise MetricsSourceError(f"CloudWatch is unreachable: {type(exc).__name__}") from exc
        return {
            result["Id"]: [float(v) for v in result.get("Values", [])]
            for result in answer["MetricDataResults"]
        }

    def counts(self, target: MetricsTarget) -> tuple[int, int]:
        """(requests, server errors) over the window."""
        values = self._get(
            [
                self._stat("requests", self._latency, "SampleCount", target),
                self._stat("errors", self._errors, "Sum", target),
            ],
            target,
        )
        requests = round(sum(values.get("requests", [])))
        return requests, min(round(sum(values.get("errors", []))), requests)

    def read(self, target: MetricsTarget) -> Reading:
        requests, errors = self.counts(target)
        values = self._get([self._stat(p, self._latency, p, target) for p in PERCENTILES], target)
        latency = {p: round(max(values.get(p) or [0.0]), 3) for p in PERCENTILES}
        measurements = Measurements(requests, errors, latency["p50"], latency["p95"], latency["p99"])
        where = f"{self._namespace} Service={target.service} Environment={target.environment}"
        window = f"over {target.window_seconds}s"
        queries = {
            "requests": f"GetMetricData {where} {self._latency} SampleCount {window}",
            "error_rate": f"GetMetricData {where} {self._errors} Sum / {self._latency} SampleCount {window}",
            "availability": f"1 - error_rate ({where} {window})",
        }
        queries |= {
            f"{p}_latency_ms": f"GetMetricData {where} {self._latency} {p} {window}" for p in PERCENTILES
        }
        return Reading(measurements, queries)
