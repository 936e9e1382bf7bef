"""Per-process wiring of the deployment worker: settings → runtime → target, history → consumer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentic_common.approvals.dynamodb import DynamoDBApprovalStore
from agentic_common.consumer import Consumer
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import load_settings

from agentic_deployment.adapters.history_dynamodb import DynamoDBDeploymentHistory
from agentic_deployment.adapters.local_actions import LocalActions
from agentic_deployment.adapters.local_process import LocalProcessTarget
from agentic_deployment.adapters.local_release import LocalReleaseTarget
from agentic_deployment.adapters.python_env import find_uv
from agentic_deployment.adapters.remote_target import RemoteTarget
from agentic_deployment.adapters.remote_wiring import build_remote
from agentic_deployment.logic.deploy import DeployWork
from agentic_deployment.logic.dispatch import DeploymentEvents
from agentic_deployment.logic.remediation_actions import RemediationExecutor
from agentic_deployment.settings import DeploymentSettings

SERVICE = "deployment"


@dataclass(frozen=True)
class DeploymentService:
    runtime: ServiceRuntime
    consumer: Consumer
    target: LocalReleaseTarget | RemoteTarget


def build_target(settings: DeploymentSettings) -> LocalReleaseTarget:
    return LocalReleaseTarget(LocalProcessTarget(home=settings.agentic_home, uv=find_uv()))


def build(settings: DeploymentSettings | None = None) -> DeploymentService:
    settings = settings or load_settings(DeploymentSettings)
    runtime = start_runtime(SERVICE, settings)
    target: Any
    if settings.deployment_target == "argocd":
        target, executor = build_remote(settings)
    else:
        target = build_target(settings)
        executor = LocalActions(target)
    dynamodb = runtime.clients.client("dynamodb")
    history = DynamoDBDeploymentHistory(dynamodb, runtime.table("deployments"))
    approvals = DynamoDBApprovalStore(dynamodb, runtime.table("approvals"))
    agent = runtime.task_agent(DeployWork(target, history, approvals))  # current attempts only
    actions = RemediationExecutor(executor, runtime.publisher, runtime.claims, approvals)
    events = DeploymentEvents(agent, actions)
    return DeploymentService(runtime=runtime, consumer=runtime.consumer(events.handle), target=target)
