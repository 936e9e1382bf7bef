"""Settings of the observability service beyond CommonSettings (env var = field name upper-cased)."""

from __future__ import annotations

from typing import Literal

from agentic_common.settings import CommonSettings
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict


class ObservabilitySettings(CommonSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    observability_probe_timeout_seconds: float = Field(
        default=5.0, gt=0, le=60, description="Per-request timeout of an SLO probe (connect, read, write)."
    )
    observability_metrics_source: Literal["local", "prometheus", "cloudwatch", "none"] = Field(
        default="local", description="Where verification reads request metrics, besides the probe."
    )
    observability_request_metric: str = Field(
        default="http_request_duration_seconds", description="The services' request-duration histogram."
    )
    prometheus_url: str | None = Field(default=None, description="Prometheus base URL (source 'prometheus').")
    prometheus_token: SecretStr | None = None
    observability_cloudwatch_namespace: str = "Agentic/Services"
    observability_verify_concurrency: int = Field(
        default=4, ge=1, le=32, description="How many verify tasks the worker runs at once."
    )
    observability_monitor_interval_seconds: float = Field(
        default=15.0, gt=0, le=3600, description="How often the monitor polls running deployments."
    )
    observability_monitor_refresh_seconds: float = Field(
        default=300.0,
        gt=0,
        le=86400,
        description="How often the monitor reads the deployments table when no event said it changed "
        "(a verify task, a failed verify or an incident make it read at its next poll): a deployment no "
        "verify task announced (a deploy-only workflow) is watched from its next read.",
    )
    observability_monitor_failures: int = Field(
        default=2,
        ge=1,
        le=20,
        description="Consecutive failed polls before a deployment counts as unhealthy.",
    )
    observability_season_seconds: int | None = Field(
        default=None,
        ge=60,
        description="Seasonality of metric streams (e.g. 86400): enables the seasonal baseline.",
    )
    alertmanager_webhook_secret_id: str | None = Field(
        default=None,
        description="Secrets Manager id (ARN or name) of the Alertmanager webhook's shared secret "
        "(JSON key 'token'); default <prefix>/alertmanager-webhook.",
    )
    observability_min_effect: float = Field(
        default=0.25,
        ge=0,
        le=100,
        description="Effect an anomaly needs before a machine may act on it: (value - baseline) / objective.",
    )
    observability_alert_ttl_seconds: int = Field(
        default=3600, ge=60, description="How long an alert fingerprint de-duplicates repeats."
    )
    observability_unhealthy_repeat_seconds: float = Field(
        default=300.0,
        ge=1,
        le=86400,
        description="A deployment still unhealthy this long after its incident opened is reported again "
        "as a new incident (remediation acts again within its loop bound, then asks a person).",
    )
