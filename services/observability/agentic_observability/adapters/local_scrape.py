"""The local metrics source: scrape a locally deployed service's ``/metrics`` (Prometheus text format).

Scrape failures are never retryable: the probe, judged alongside, already sees an unreachable or
failing service; a service without ``/metrics`` is judged by the probe alone (and the skip recorded).
Counters are cumulative since the process started, so one scrape measures the deployment's whole
life; the monitor subtracts consecutive scrapes (``Histogram.minus``) to see one poll interval.
"""

from __future__ import annotations

import httpx

from agentic_observability.logic.histogram import Histogram, measurements_of, parse_histogram
from agentic_observability.ports import MetricsSourceError, MetricsTarget, Reading

DEFAULT_METRIC = "http_request_duration_seconds"
PERCENTILES = (50, 95, 99)


def queries_for(url: str, metric: str) -> dict[str, str]:
    scrape = f"GET {url}"
    return {
        "requests": f"{scrape} sum(http_requests_total) (or {metric}_count with a status label)",
        "error_rate": f'{scrape} sum(http_requests_total{{status=~"5.."}}) / sum(http_requests_total)',
        "availability": f"{scrape} 1 - error_rate",
        **{
            f"p{q}_latency_ms": f"{scrape} histogram_quantile({q / 100:g}, {metric}_bucket)"
            for q in PERCENTILES
        },
    }


class LocalScrapeSource:
    name = "local-scrape"

    def __init__(
        self, metric: str = DEFAULT_METRIC, path: str = "/metrics", timeout_seconds: float = 5.0
    ) -> None:
        self._metric = metric
        self._path = path
        self._timeout = httpx.Timeout(timeout_seconds)

    def scrape(self, base_url: str) -> Histogram:
        url = base_url.rstrip("/") + self._path
        try:
            with httpx.Client(timeout=self._timeout, trust_env=False) as client:
                response = client.get(url)
        except httpx.RequestError as exc:
            raise MetricsSourceError(
                f"could not scrape {url}: {type(exc).__name__}", retryable=False
            ) from exc
        if not response.is_success:
            raise MetricsSourceError(f"scraping {url} answered HTTP {response.status_code}", retryable=False)
        histogram = parse_histogram(response.text, self._metric)
        if histogram is None:
            raise MetricsSourceError(
                f"{url} exposes no {self._metric} histogram: the service must export it to be judged",
                retryable=False,
            )
        return histogram

    def read(self, target: MetricsTarget) -> Reading:
        histogram = self.scrape(target.url)
        url = target.url.rstrip("/") + self._path
        return Reading(measurements_of(histogram), queries_for(url, self._metric))
