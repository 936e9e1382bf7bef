"""Settings of the deployment worker (environment variable = field name, upper-cased)."""

from __future__ import annotations

from typing import Literal

from agentic_common.settings import CommonSettings
from pydantic import Field, SecretStr, model_validator


class DeploymentSettings(CommonSettings):
    deploy_concurrency: int = Field(default=4, ge=1, le=32)
    """How many deploys (or remediation actions) the worker runs at once; one at a time per service."""

    deployment_target: Literal["local-process", "argocd"] = "local-process"
    """local-process: services run on this machine; argocd: Terraform Cloud + ArgoCD (deploy-remote.md)."""

    argocd_url: str | None = None
    argocd_token: SecretStr | None = None
    argocd_project: str = "default"
    tfc_organization: str | None = None
    tfc_token: SecretStr | None = None
    tfc_url: str = "https://app.terraform.io"
    policy_api_url: str | None = None
    policy_api_token: SecretStr | None = None
    prometheus_url: str | None = None
    prometheus_token: SecretStr | None = None

    @model_validator(mode="after")
    def _remote_needs_its_peers(self) -> DeploymentSettings:
        if self.deployment_target != "argocd":
            return self
        missing = [
            name
            for name, value in (
                ("ARGOCD_URL", self.argocd_url),
                ("ARGOCD_TOKEN", self.argocd_token),
                ("PROMETHEUS_URL", self.prometheus_url),
            )
            if not value
        ]
        if self.tfc_organization and not self.tfc_token:
            missing.append("TFC_TOKEN (TFC_ORGANIZATION is set)")
        if missing:
            raise ValueError(f"DEPLOYMENT_TARGET=argocd needs {', '.join(missing)}")
        return self
