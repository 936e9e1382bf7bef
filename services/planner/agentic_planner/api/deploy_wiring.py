"""Build the /deploy, /deployments and /approvals dependencies from the planner's runtime."""

from __future__ import annotations

from agentic_common.approvals.dynamodb import DynamoDBApprovalStore
from agentic_common.runtime import ServiceRuntime
from agentic_common.settings import load_settings

from agentic_planner.api.approver import ApprovalSettings
from agentic_planner.api.deploy_history import DynamoDBDeploymentLog
from agentic_planner.api.deploy_routes import DeploymentApiDeps
from agentic_planner.logic.workflows import WorkflowService


def deployment_api_deps(runtime: ServiceRuntime, service: WorkflowService) -> DeploymentApiDeps:
    dynamodb = runtime.clients.client("dynamodb")
    return DeploymentApiDeps(
        service=service,
        approvals=DynamoDBApprovalStore(dynamodb, runtime.table("approvals")),
        log=DynamoDBDeploymentLog(dynamodb, runtime.table("deployments")),
        publisher=runtime.publisher,
        settings=load_settings(ApprovalSettings),
    )
