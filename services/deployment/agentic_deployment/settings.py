"""Settings of the deployment worker (environment variable = field name, upper-cased)."""

from __future__ import annotations

from typing import Literal

from agentic_common.settings import CommonSettings


class DeploymentSettings(CommonSettings):
    deployment_target: Literal["local-process"] = "local-process"
    """Where services are deployed: only the local process target exists yet (TFC/ArgoCD later)."""
