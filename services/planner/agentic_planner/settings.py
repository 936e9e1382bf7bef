"""Planner settings (environment variables are the field names, upper-cased)."""

from __future__ import annotations

from agentic_common.settings import CommonSettings
from pydantic import SecretStr


class PlannerSettings(CommonSettings):
    slack_webhook_url: SecretStr | None = None
    agentic_api_url: str | None = None  # the API's public URL: notifications link the full record
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-5-5"
