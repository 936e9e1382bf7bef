"""The step metrics for the ArgoCD target: the service's requests, errors and latencies on Prometheus.

Queries (``agentic_common.promql`` over the service's namespace, the metrics every generated service
exports): requests and 5xx from ``http_requests_total{status}``, p50/p95/p99 from the
``http_request_duration_seconds`` histogram. The deploy logic judges the window on the gate
(``logic/step_gate.judge_step``, which uses ``agentic_common.slo.evaluate_slo``, the same judgement
observability uses). Limit: without a traffic router the canary's pods are not told apart, so a step
is judged on the whole service (stable + canary) during the window, and it needs real traffic: a
window with fewer requests than the gate asks for has no verdict.
"""

from __future__ import annotations

from typing import Any

from agentic_common.promql import error_rate, request_queries
from agentic_common.slo import Measurements

from agentic_deployment.adapters.remote.http_api import ApiClient
from agentic_deployment.ports import MetricsWindow


class PrometheusGate:
    source = "prometheus"

    def __init__(self, api: ApiClient, window: str = "5m") -> None:
        self.api, self.window = api, window

    def _value(self, promql: str) -> float:
        body: dict[str, Any] = self.api.json("GET", "/api/v1/query", params={"query": promql})
        result = body.get("data", {}).get("result") or []
        if not result:
            return 0.0
        value = float(result[0]["value"][1])
        return 0.0 if value != value else value  # NaN (no samples) counts as nothing  # noqa: PLR0124

    def measure(self, namespace: str, weight: int) -> MetricsWindow:
        promql = request_queries({"namespace": namespace}, self.window)
        values = {name: self._value(query) for name, query in promql.items()}
        requests = int(values["requests"])
        measured = Measurements(
            requests=requests,
            errors=min(int(values["errors"]), requests),
            p50_ms=values["p50_latency_ms"],
            p95_ms=values["p95_latency_ms"],
            p99_ms=values["p99_latency_ms"],
        )
        named = {
            name: promql[name] for name in ("requests", "p50_latency_ms", "p95_latency_ms", "p99_latency_ms")
        }
        return MetricsWindow(measured, named | {"error_rate": error_rate(promql)})
