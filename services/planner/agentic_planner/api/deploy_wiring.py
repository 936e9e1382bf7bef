"""Build the /deploy, /deployments and /approvals dependencies from the planner's runtime."""

from __future__ import annotations

from agentic_common.approvals import ApprovalStore
from agentic_common.approvals.dynamodb import DynamoDBApprovalStore
from agentic_common.runtime import ServiceRuntime
from agentic_common.settings import load_settings

from agentic_planner.api.approver import ApprovalSettings
from agentic_planner.api.deploy_history import DynamoDBDeploymentLog
from agentic_planner.api.deploy_routes import DeploymentApiDeps
from agentic_planner.logic.workflows import WorkflowService


def approval_store(runtime: ServiceRuntime) -> ApprovalStore:
    return DynamoDBApprovalStore(runtime.clients.client("dynamodb"), runtime.table("approvals"))


def deployment_api_deps(
    runtime: ServiceRuntime, service: WorkflowService, approvals: ApprovalStore
) -> DeploymentApiDeps:
    return DeploymentApiDeps(
        service=service,
        approvals=approvals,
        log=DynamoDBDeploymentLog(runtime.clients.client("dynamodb"), runtime.table("deployments")),
        publisher=runtime.publisher,
        settings=load_settings(ApprovalSettings),
    )
