"""Per-process wiring of the deployment worker: settings → runtime → target, history → consumer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentic_common.approvals.dynamodb import DynamoDBApprovalStore
from agentic_common.consumer import Consumer
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import load_settings
from pydantic import SecretStr

from agentic_deployment.adapters.history_dynamodb import DynamoDBDeploymentHistory
from agentic_deployment.adapters.local.local_actions import LocalActions
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.local_release import LocalReleaseTarget
from agentic_deployment.adapters.local.python_env import find_uv
from agentic_deployment.adapters.local.stores.aws import ClientFactory
from agentic_deployment.adapters.local.stores.provision import LocalStores
from agentic_deployment.adapters.remote.argocd import ArgoCd
from agentic_deployment.adapters.remote.http_api import ApiClient
from agentic_deployment.adapters.remote.policy_client import PolicyApiClient
from agentic_deployment.adapters.remote.prometheus_gate import PrometheusGate
from agentic_deployment.adapters.remote.remote_target import ArgoActions, RemoteTarget
from agentic_deployment.adapters.remote.terraform_cloud import TerraformCloud
from agentic_deployment.logic.deploy import DeployWork
from agentic_deployment.logic.dispatch import DeploymentEvents
from agentic_deployment.logic.remediation_actions import RemediationExecutor
from agentic_deployment.logic.remote_deploy import RemoteDeployer
from agentic_deployment.ports import ActionTarget
from agentic_deployment.settings import DeploymentSettings

SERVICE = "deployment"


@dataclass(frozen=True)
class DeploymentService:
    runtime: ServiceRuntime
    consumer: Consumer
    target: LocalReleaseTarget | RemoteTarget
    concurrency: int = 1  # deploys at once (DEPLOY_CONCURRENCY), one at a time per service


def build_target(settings: DeploymentSettings, aws: ClientFactory | None = None) -> LocalReleaseTarget:
    """The local simulator; the stores services declare are provisioned next to it (and on the local AWS)."""
    stores = LocalStores(settings.agentic_home, aws, settings.aws_endpoint_url, settings.aws_region)
    return LocalReleaseTarget(LocalProcessTarget(home=settings.agentic_home, uv=find_uv(), stores=stores))


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


def build_remote(settings: DeploymentSettings) -> tuple[RemoteTarget, ArgoActions]:
    """ArgoCD (+ Terraform Cloud, the policy gate, Prometheus): one deployer for the process."""
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
    deployer = RemoteDeployer(
        terraform=terraform, gitops=argocd, policy=policy, metrics=PrometheusGate(prometheus)
    )
    return RemoteTarget(deployer, argocd, settings.argocd_project), ArgoActions(argocd)


def build(settings: DeploymentSettings | None = None) -> DeploymentService:
    settings = settings or load_settings(DeploymentSettings)
    runtime = start_runtime(SERVICE, settings)
    target: Any
    executor: ActionTarget
    if settings.deployment_target == "argocd":
        target, executor = build_remote(settings)
    else:
        target = build_target(settings, runtime.clients.client)
        executor = LocalActions(target)
    dynamodb = runtime.clients.client("dynamodb")
    history = DynamoDBDeploymentHistory(dynamodb, runtime.table("deployments"))
    approvals = DynamoDBApprovalStore(dynamodb, runtime.table("approvals"))
    agent = runtime.task_agent(DeployWork(target, history, approvals))  # current attempts only
    actions = RemediationExecutor(executor, runtime.publisher, runtime.claims, approvals)
    events = DeploymentEvents(agent, actions)
    return DeploymentService(
        runtime=runtime,
        consumer=runtime.consumer(events.handle),
        target=target,
        concurrency=settings.deploy_concurrency,
    )
