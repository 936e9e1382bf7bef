"""Settings of the local stack (`make up`)."""

from __future__ import annotations

from agentic_common.settings import CommonSettings
from pydantic import Field


class LocalSettings(CommonSettings):
    agentic_api_port: int = Field(default=8080, ge=1, le=65535)
    agentic_aws_port: int = Field(default=4566, ge=0, le=65535)
    agentic_api_instances: int = Field(default=8, ge=1, le=64)
    """How many execution environments (processes) the local API gateway may start per API function,
    on demand, as Lambda scales a function with its concurrent requests."""
    agentic_lambda_concurrency: int = Field(default=4, ge=1, le=32)
    """How many invocations of one queue-driven Lambda function (planner, codegen, policy) run at once
    locally, as Lambda runs concurrent invocations of a function."""
    agentic_sweep_seconds: float = Field(default=2.0, gt=0, le=600)
    agentic_start_timeout_seconds: float = Field(default=300.0, gt=0, le=3600)
    """How long `agentic up` waits for the API to answer /health (the first start imports a lot)."""
    agentic_aws_snapshot_seconds: float = Field(default=5.0, gt=0, le=3600)
    """How often the local AWS writes its state to AGENTIC_HOME/aws-state.pickle while it runs (a
    `kill -9` of it loses at most this much); it is written again on every stop."""
    agentic_max_restarts: int = Field(default=5, ge=0, le=1000)
    """How many times a child (a service or the local AWS) may die within AGENTIC_RESTART_WINDOW_SECONDS
    and be restarted; one more death stops the stack."""
    agentic_restart_window_seconds: float = Field(default=300.0, gt=0, le=86400)
