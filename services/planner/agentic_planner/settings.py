"""Planner settings (environment variables are the field names, upper-cased)."""

from __future__ import annotations

from agentic_common.settings import CommonSettings
from pydantic import SecretStr


class PlannerSettings(CommonSettings):
    slack_webhook_url: SecretStr | None = None
    agentic_api_url: str | None = None  # the API's URL; links in messages use it when it is not loopback
    # the platform's public URL for links people click (Slack buttons, records, policy reports);
    # wins over AGENTIC_API_URL. A loopback URL is never linked.
    agentic_public_url: str | None = None
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-5-5"
