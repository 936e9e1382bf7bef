"""Process settings: built once per process from the environment, failing fast and clearly."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from agentic_common.topology import physical_name


class SettingsError(RuntimeError):
    """Raised at start-up; the message names each missing or invalid setting."""


class CommonSettings(BaseSettings):
    """Settings every service reads. Environment variable names are the field names, upper-cased."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    agentic_env: str = Field(default="local", pattern=r"^[a-z][a-z0-9-]{0,20}$")
    agentic_home: Path = Path(".agentic")
    aws_region: str = Field(default="us-east-1", validation_alias="AWS_DEFAULT_REGION")
    aws_endpoint_url: str | None = None
    otel_exporter_otlp_endpoint: str | None = None
    otel_service_name: str | None = None
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")

    @property
    def resource_prefix(self) -> str:
        return f"agentic-{self.agentic_env}"

    def name(self, logical: str) -> str:
        return physical_name(self.resource_prefix, logical)


class AnthropicSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-5-5"


S = TypeVar("S", bound=BaseSettings)


def load_settings(cls: type[S]) -> S:
    """Build a settings object, turning validation errors into one message naming each setting."""
    try:
        return cls()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            setting = str(error["loc"][0]).upper() if error["loc"] else cls.__name__
            problems.append(f"{setting}: {error['msg']}")
        raise SettingsError("invalid configuration: " + "; ".join(problems)) from None
