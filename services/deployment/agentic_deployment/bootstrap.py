"""Per-process wiring of the deployment worker: settings → runtime → target, history → TaskAgent consumer."""

from __future__ import annotations

from dataclasses import dataclass

from agentic_common.agent import TaskAgent
from agentic_common.consumer import Consumer
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import load_settings

from agentic_deployment.adapters.history_dynamodb import DynamoDBDeploymentHistory
from agentic_deployment.adapters.local_process import LocalProcessTarget
from agentic_deployment.adapters.python_env import find_uv
from agentic_deployment.logic.deploy import DeployWork
from agentic_deployment.ports import DeployTarget
from agentic_deployment.settings import DeploymentSettings

SERVICE = "deployment"


@dataclass(frozen=True)
class DeploymentService:
    runtime: ServiceRuntime
    consumer: Consumer
    target: DeployTarget


def build_target(settings: DeploymentSettings) -> DeployTarget:
    # one target today; Terraform Cloud and ArgoCD join here, chosen by DEPLOYMENT_TARGET
    return LocalProcessTarget(home=settings.agentic_home, uv=find_uv())


def build(settings: DeploymentSettings | None = None) -> DeploymentService:
    settings = settings or load_settings(DeploymentSettings)
    runtime = start_runtime(SERVICE, settings)
    target = build_target(settings)
    history = DynamoDBDeploymentHistory(runtime.clients.client("dynamodb"), runtime.table("deployments"))
    agent = TaskAgent(SERVICE, DeployWork(target, history), runtime.publisher, runtime.claims)
    return DeploymentService(runtime=runtime, consumer=runtime.consumer(agent.handle), target=target)
