"""Build the configured metrics source (besides the probe) from settings."""

from __future__ import annotations

from agentic_common.runtime import ServiceRuntime

from agentic_observability.adapters.cloudwatch import CloudWatchSource
from agentic_observability.adapters.local_scrape import LocalScrapeSource
from agentic_observability.adapters.prometheus import PrometheusSource
from agentic_observability.ports import MetricsSource
from agentic_observability.settings import ObservabilitySettings


def configured_sources(own: ObservabilitySettings, runtime: ServiceRuntime) -> tuple[MetricsSource, ...]:
    kind = own.observability_metrics_source
    if kind == "local":
        return (LocalScrapeSource(own.observability_request_metric),)
    if kind == "prometheus":
        if not own.prometheus_url:
            raise ValueError("OBSERVABILITY_METRICS_SOURCE=prometheus needs PROMETHEUS_URL")
        return (
            PrometheusSource(
                own.prometheus_url, token=own.prometheus_token, metric=own.observability_request_metric
            ),
        )
    if kind == "cloudwatch":
        return (
            CloudWatchSource(runtime.clients.client("cloudwatch"), own.observability_cloudwatch_namespace),
        )
    return ()
