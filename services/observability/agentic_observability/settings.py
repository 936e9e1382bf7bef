"""Settings of the observability service beyond CommonSettings (env var = field name upper-cased)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ObservabilitySettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    observability_probe_timeout_seconds: float = Field(
        default=5.0, gt=0, le=60, description="Per-request timeout of an SLO probe (connect, read, write)."
    )
