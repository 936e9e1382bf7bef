"""Metrics from the Prometheus HTTP API (``/api/v1/query``, ``/api/v1/query_range``) with httpx.

As generated services export them: latency from the histogram ``<metric>_bucket{le=...}``, requests
and 5xx errors from the counter ``http_requests_total{status}``; the service is selected by one label
(``service`` by default) and ``environment``.
"""

from __future__ import annotations

import math
from typing import Any

import httpx
from agentic_common.promql import error_rate, request_queries
from agentic_common.slo import Measurements
from pydantic import SecretStr

from agentic_observability.ports import MetricsSourceError, MetricsTarget, Reading


def promql(target: MetricsTarget, metric: str, label: str) -> dict[str, str]:
    """The PromQL of every measurement, keyed like the SLO evidence."""
    labels = {label: target.service, "environment": target.environment}
    return request_queries(labels, f"{target.window_seconds}s", metric=metric)


class PrometheusSource:
    name = "prometheus"

    def __init__(
        self,
        base_url: str,
        *,
        token: SecretStr | None = None,
        metric: str = "http_request_duration_seconds",
        service_label: str = "service",
        timeout_seconds: float = 10.0,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}
        self._metric = metric
        self._label = service_label
        # one pooled client for the process: a verdict sends five queries
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout_seconds), trust_env=False, headers=self._headers
        )

    def close(self) -> None:
        self._http.close()

    def _call(self, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
        try:
            response = self._http.post(f"{self._base}{path}", data=params)
        except httpx.TimeoutException as exc:
            raise MetricsSourceError(f"Prometheus at {self._base} timed out") from exc
        except httpx.RequestError as exc:
            problem = type(exc).__name__
            raise MetricsSourceError(f"Prometheus at {self._base} is unreachable: {problem}") from exc
        if response.status_code in (401, 403):
            raise MetricsSourceError(
                f"Prometheus refused the credentials (HTTP {response.status_code}): check PROMETHEUS_TOKEN",
                retryable=False,
            )
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
        if not response.is_success or body.get("status") != "success":
            problem = body.get("error") or response.text[:200]
            raise MetricsSourceError(
                f"Prometheus answered HTTP {response.status_code} to {params.get('query')!r}: {problem}",
                retryable=response.status_code >= 500,
            )
        return list(body["data"]["result"])

    def instant(self, query: str) -> float:
        """The single value of an instant query (summed if several series); 0 for no series."""
        result = self._call("/api/v1/query", {"query": query})
        values = [float(series["value"][1]) for series in result]
        return sum(values) if values else 0.0

    def series(self, query: str, start: float, end: float, step_seconds: int) -> list[tuple[float, float]]:
        """(unix time, value) points of a range query's first series, NaN points dropped."""
        params = {"query": query, "start": f"{start:.3f}", "end": f"{end:.3f}", "step": f"{step_seconds}s"}
        result = self._call("/api/v1/query_range", params)
        if not result:
            return []
        points = [(float(t), float(v)) for t, v in result[0]["values"]]
        return [(t, v) for t, v in points if not math.isnan(v)]

    def read(self, target: MetricsTarget) -> Reading:
        queries = promql(target, self._metric, self._label)
        values = {name: self.instant(query) for name, query in queries.items()}
        requests = round(values["requests"])
        latency = {name: 0.0 if math.isnan(v) else round(v, 3) for name, v in values.items()}
        measurements = Measurements(
            requests=requests,
            errors=min(round(values["errors"]), requests),
            p50_ms=latency["p50_latency_ms"],
            p95_ms=latency["p95_latency_ms"],
            p99_ms=latency["p99_latency_ms"],
        )
        evidence_queries = dict(queries) | {
            "error_rate": error_rate(queries),
            "availability": f"1 - {error_rate(queries)}",
        }
        return Reading(measurements, evidence_queries)
