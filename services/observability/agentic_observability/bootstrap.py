"""Per-process wiring of observability: the worker (`assemble`, `build`) and the API Lambda (`build_api`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from agentic_common.aws import AwsClients
from agentic_common.consumer import Consumer
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import AnthropicSettings, CommonSettings, load_settings
from agentic_common.shared_secret import SecretsManagerSecret, secret_name
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.telemetry import setup_telemetry
from agentic_common.topology import ALERTMANAGER_WEBHOOK

from agentic_observability.adapters.declared_slo import WorkflowDeclaredObjectives
from agentic_observability.adapters.http_prober import HttpxProber
from agentic_observability.adapters.local_scrape import LocalScrapeSource
from agentic_observability.adapters.sources import configured_sources
from agentic_observability.adapters.tables import DynamoDBAlertLedger, DynamoDBTables
from agentic_observability.logic.anomaly import DetectorConfig
from agentic_observability.logic.deployment_watch import DeploymentWatch, heeding_deployments
from agentic_observability.logic.evidence import EvidenceRule
from agentic_observability.logic.monitor import Monitor, MonitorConfig
from agentic_observability.logic.objective import ObjectiveBook
from agentic_observability.logic.streams import StreamWatch
from agentic_observability.logic.summary import CheckedSummarizer, TemplatedSummarizer
from agentic_observability.logic.verify import failure_events, make_work
from agentic_observability.ports import Summarizer
from agentic_observability.settings import ObservabilitySettings

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

SERVICE = "observability"
FULL_READ_EVERY = timedelta(hours=1)  # the monitor reads the deployments whole; between, the last two days


@dataclass(frozen=True)
class Service:
    runtime: ServiceRuntime
    consumer: Consumer
    monitor: Monitor
    monitor_interval_seconds: float
    watch: DeploymentWatch  # the monitor's reads; a verify task wakes the monitor through it
    verify_concurrency: int = 1  # verify tasks at once (OBSERVABILITY_VERIFY_CONCURRENCY)


def assemble(settings: CommonSettings | None = None) -> Service:
    """Build the runtime and the consumer (the worker needs both)."""
    common = settings or load_settings(CommonSettings)
    own = load_settings(ObservabilitySettings)
    runtime = start_runtime(SERVICE, common)
    prober = HttpxProber(timeout_seconds=own.observability_probe_timeout_seconds)
    watch = build_watch(runtime, own)  # the monitor reads the table through it; a verify wakes the monitor
    monitor = build_monitor(runtime, own, watch)
    agent = runtime.task_agent(  # runs only current attempts of tasks the planner dispatched
        make_work(prober, configured_sources(own, runtime), summarizer(), monitor), failure_events
    )
    return Service(
        runtime=runtime,
        consumer=runtime.consumer(heeding_deployments(watch, agent.handle)),
        monitor=monitor,
        monitor_interval_seconds=own.observability_monitor_interval_seconds,
        watch=watch,
        verify_concurrency=own.observability_verify_concurrency,
    )


def build_watch(runtime: ServiceRuntime, own: ObservabilitySettings) -> DeploymentWatch:
    """The deployments table as the monitor reads it: only when something may have changed."""
    tables = DynamoDBTables(
        runtime.clients.client("dynamodb"),
        runtime.table("deployments"),
        runtime.table("workflows"),
        refresh_every=FULL_READ_EVERY,
    )
    return DeploymentWatch(
        tables,
        refresh_seconds=own.observability_monitor_refresh_seconds,
        expect_seconds=own.observability_unhealthy_repeat_seconds,
    )


def build_monitor(
    runtime: ServiceRuntime, own: ObservabilitySettings, watch: DeploymentWatch | None = None
) -> Monitor:
    db = runtime.clients.client("dynamodb")
    publisher = runtime.publisher
    scraper = (
        LocalScrapeSource(own.observability_request_metric)
        if own.observability_metrics_source == "local"
        else None
    )
    watch = watch or build_watch(runtime, own)
    return Monitor(
        reader=watch,
        expect_changes=watch.expect_changes,
        announce=watch.announced,
        prober=HttpxProber(timeout_seconds=min(own.observability_probe_timeout_seconds, 2.0)),
        ledger=DynamoDBAlertLedger(db, runtime.table("alerts")),
        publish=publisher.publish,
        config=MonitorConfig(
            failures_needed=own.observability_monitor_failures,
            incident_ttl_seconds=own.observability_alert_ttl_seconds,
            unhealthy_repeat_seconds=own.observability_unhealthy_repeat_seconds,
        ),
        scrape=scraper.scrape if scraper else None,
        summarizer=summarizer(),
        streams=StreamWatch(lambda: stream_config(own)),
        objectives=ObjectiveBook(
            WorkflowDeclaredObjectives(DynamoDBStateStore(db, runtime.table("workflows")))
        ),
        rule=EvidenceRule(min_effect=own.observability_min_effect),
    )


def stream_config(own: ObservabilitySettings) -> DetectorConfig:
    """Rolling median by default; a seasonal baseline when the season spans at least two polls."""
    season, interval = own.observability_season_seconds, own.observability_monitor_interval_seconds
    period = round(season / interval) if season else None
    return DetectorConfig(period=period if period and period >= 2 else None)


def summarizer() -> Summarizer:
    """Claude when ANTHROPIC_API_KEY is set (checked against the evidence), else the template."""
    claude = load_settings(AnthropicSettings)
    if claude.anthropic_api_key is None:
        return TemplatedSummarizer()
    from agentic_observability.adapters.claude_summarizer import ClaudeSummarizer  # noqa: PLC0415 - heavy SDK

    key = claude.anthropic_api_key.get_secret_value()
    return CheckedSummarizer(ClaudeSummarizer(key, claude.anthropic_model, claude.anthropic_base_url))


def build(settings: CommonSettings | None = None) -> Consumer:
    return assemble(settings).consumer


def build_api(settings: CommonSettings | None = None) -> APIGatewayHttpResolver:
    """The API app: tables, the alert ledger, the bus, the webhook secret."""
    from agentic_observability.api.app import ApiDeps, build_app  # noqa: PLC0415 - the worker needs no web app

    common = settings or load_settings(CommonSettings)
    own = load_settings(ObservabilitySettings)
    # no start_runtime: locally this runs inside the shared gateway process, whose logging stays as is
    setup_telemetry(SERVICE, common.otel_exporter_otlp_endpoint)  # once per process; a no-op after the first
    runtime = ServiceRuntime(service=SERVICE, settings=common, clients=AwsClients(common))
    db = runtime.clients.client("dynamodb")
    return build_app(
        ApiDeps(
            reader=DynamoDBTables(db, runtime.table("deployments"), runtime.table("workflows")),
            ledger=DynamoDBAlertLedger(db, runtime.table("alerts")),
            publisher=runtime.publisher,
            alert_ttl_seconds=own.observability_alert_ttl_seconds,
            summarizer=summarizer(),
            webhook_secret=SecretsManagerSecret(
                runtime.clients.client("secretsmanager"),
                own.alertmanager_webhook_secret_id
                or secret_name(common.resource_prefix, ALERTMANAGER_WEBHOOK),
            ),
        )
    )
