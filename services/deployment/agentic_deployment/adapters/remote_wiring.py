"""Build the ArgoCD (+ Terraform Cloud) target and its remediation actions from the settings."""

from __future__ import annotations

from agentic_deployment.adapters.argocd import ArgoCd
from agentic_deployment.adapters.http_api import ApiClient
from agentic_deployment.adapters.policy_client import PolicyApiClient
from agentic_deployment.adapters.remote_target import ArgoActions, RemoteTarget
from agentic_deployment.adapters.terraform_cloud import TerraformCloud
from agentic_deployment.settings import DeploymentSettings


def _secret(value: object) -> str:
    return value.get_secret_value() if value is not None else ""  # type: ignore[attr-defined,no-any-return]


def build_remote(settings: DeploymentSettings) -> tuple[RemoteTarget, ArgoActions]:
    argocd = ArgoCd(_secret(settings.argocd_token), str(settings.argocd_url))
    terraform = (
        TerraformCloud(_secret(settings.tfc_token), settings.tfc_organization, base_url=settings.tfc_url)
        if settings.tfc_organization
        else None
    )
    policy = (
        PolicyApiClient(settings.policy_api_url, token=lambda: _secret(settings.policy_api_token))
        if settings.policy_api_url
        else None
    )
    headers = (
        {"Authorization": f"Bearer {_secret(settings.prometheus_token)}"} if settings.prometheus_token else {}
    )
    prometheus = ApiClient("Prometheus", str(settings.prometheus_url), headers, "PROMETHEUS_TOKEN")
    target = RemoteTarget(argocd, terraform, policy, prometheus, settings.argocd_project)
    return target, ArgoActions(argocd)
