"""Remediation settings (environment variables are the field names, upper-cased)."""

from __future__ import annotations

from agentic_common.settings import CommonSettings
from pydantic import Field, SecretStr


class RemediationSettings(CommonSettings):
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-5-5"
    remediation_max_actions: int = Field(
        default=3, ge=1, le=100, description="actions per service per window before escalating"
    )
    remediation_window_seconds: int = Field(default=3600, ge=1, le=7 * 24 * 3600)
    remediation_approval_ttl_seconds: int = Field(default=24 * 3600, ge=60, le=7 * 24 * 3600)
