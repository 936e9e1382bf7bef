"""The PromQL of a service's request measurements, as every generated service exports them.

Requests and 5xx errors from the counter ``http_requests_total{status}``; p50, p95 and p99 latency
(milliseconds) from the histogram ``http_request_duration_seconds_bucket{le}``. One builder for the
deployment's Prometheus gate and observability's Prometheus source: the keys are those of the SLO
evidence (``requests``, ``errors``, ``p50_latency_ms``, ``p95_latency_ms``, ``p99_latency_ms``).
"""

from __future__ import annotations

from collections.abc import Mapping

REQUESTS_COUNTER = "http_requests_total"
LATENCY_HISTOGRAM = "http_request_duration_seconds"
QUANTILES = (50, 95, 99)


def selector(labels: Mapping[str, str]) -> str:
    """``name="value",...`` in the order given; a quote or backslash in a value is escaped."""
    escaped = {name: value.replace("\\", "\\\\").replace('"', '\\"') for name, value in labels.items()}
    return ",".join(f'{name}="{value}"' for name, value in escaped.items())


def latency_key(quantile: int) -> str:
    return f"p{quantile}_latency_ms"


def request_queries(
    labels: Mapping[str, str],
    window: str,
    *,
    metric: str = LATENCY_HISTOGRAM,
    counter: str = REQUESTS_COUNTER,
) -> dict[str, str]:
    """Instant queries over ``window`` (a PromQL duration such as ``300s`` or ``5m``)."""
    scope = selector(labels)
    queries = {
        "requests": f"sum(increase({counter}{{{scope}}}[{window}]))",
        "errors": f'sum(increase({counter}{{{scope},status=~"5.."}}[{window}]))',
    }
    for q in QUANTILES:
        rate = f"sum by (le) (rate({metric}_bucket{{{scope}}}[{window}]))"
        queries[latency_key(q)] = f"histogram_quantile({q / 100:g}, {rate}) * 1000"
    return queries


def error_rate(queries: Mapping[str, str]) -> str:
    return f"({queries['errors']}) / ({queries['requests']})"
