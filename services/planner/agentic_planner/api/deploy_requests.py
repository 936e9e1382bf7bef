"""Use cases behind /deploy and /approvals: start a deployment workflow; decide its approval."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from agentic_common.approvals import Approval, ApprovalNotPendingError, ApprovalStatus
from agentic_common.approvals.deployment import approval_id_for, deployment_digest, deployment_id_for
from agentic_common.approvals.models import DEFAULT_APPROVAL_TTL
from agentic_common.events.approvals import decided_event, requested_event
from agentic_common.state import WorkflowStatus
from pydantic import BaseModel, ConfigDict, Field

from agentic_planner.api.deploy_history import entry
from agentic_planner.logic.create import CreateRequest, create_workflow

if TYPE_CHECKING:
    from agentic_planner.api.deploy_routes import DeploymentApiDeps

log = logging.getLogger(__name__)
TEMPLATE = "deploy"


class UnknownRepositoryError(LookupError):
    pass


class DecisionError(RuntimeError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    comment: str = Field(min_length=1, max_length=1000)


@dataclass(frozen=True)
class DeployRequestIn:
    service: str
    version: str
    environment: str
    strategy: str
    repoUrl: str | None  # noqa: N815
    requested_by: str


def _repository(deps: DeploymentApiDeps, req: DeployRequestIn) -> str:
    if req.repoUrl:
        return req.repoUrl
    known = [e["repo_url"] for e in deps.log.of_service(req.service, 20) if e.get("repo_url")]
    if not known:
        raise UnknownRepositoryError(
            f"no earlier deployment of {req.service!r} records its repository: send 'repoUrl'"
        )
    return str(known[0])


def request_deployment(deps: DeploymentApiDeps, req: DeployRequestIn, key: str | None) -> dict[str, Any]:
    params = {
        "service": req.service,
        "version": req.version,
        "environment": req.environment,
        "strategy": req.strategy,
        "repoUrl": _repository(deps, req),
    }
    created = create_workflow(
        deps.service, CreateRequest(req.requested_by or "unknown", TEMPLATE, params), {"deploy": params}, key
    )
    workflow = created.state.workflow
    deployment_id = deployment_id_for(workflow.workflow_id)
    answer: dict[str, Any] = {
        "deploymentId": deployment_id,
        "workflowId": workflow.workflow_id,
        "status": workflow.status.value,
    }
    waiting = workflow.status == WorkflowStatus.AWAITING_APPROVAL
    if waiting:
        answer["approvalId"] = approval_id_for(workflow.workflow_id)
    if created.replayed:
        return answer
    now = deps.service.clock()
    deps.log.add(
        entry(
            deployment_id,
            workflow.workflow_id,
            workflow.parameters,
            "awaiting_approval" if waiting else "requested",
            now,
        )
    )
    if waiting:
        config = deps.service.catalogue.get(TEMPLATE).tasks[0].config
        approval = deps.approvals.request(
            Approval(
                approval_id=approval_id_for(workflow.workflow_id),
                kind="deployment",
                subject=deployment_id,
                workflow_id=workflow.workflow_id,
                service=req.service,
                environment=req.environment,
                digest=deployment_digest(workflow.parameters, config),
                requested_by=req.requested_by or "unknown",
                summary=f"deploy {req.service} {req.version[:12]} to {req.environment} ({req.strategy})",
                requested_at=now,
                expires_at=now + DEFAULT_APPROVAL_TTL,
            )
        )
        deps.publisher.publish(requested_event(approval))
    return answer


def decide(deps: DeploymentApiDeps, approval_id: str, body: DecisionBody, user: str) -> Approval:
    approval = deps.approvals.get(approval_id)
    if approval is None:
        raise DecisionError(404, "not_found", f"no approval {approval_id!r}")
    deployment = approval.kind == "deployment" and approval.workflow_id is not None
    state = deps.service.store.load(approval.workflow_id) if deployment and approval.workflow_id else None
    if state is not None and approval.status is ApprovalStatus.PENDING:
        config = deps.service.catalogue.get(state.workflow.template).tasks[0].config
        if deployment_digest(state.workflow.parameters, config) != approval.digest:
            deps.approvals.void(
                approval_id, "the artifact or the plan changed after the approval was requested"
            )
            raise DecisionError(
                409, "approval_void", f"approval {approval_id} is void: what it covered changed"
            )
    approve = body.decision == "approve"
    try:
        decided = deps.approvals.decide(approval_id, approve, user, body.comment)
    except ApprovalNotPendingError as exc:
        raise DecisionError(409, "not_pending", str(exc)) from None
    log.info(
        "approval %s %s by %s: %s",
        approval_id,
        decided.status.value,
        user,
        body.comment,
        extra={"audit": "approval.decided", "workflow_id": decided.workflow_id},
    )
    if state is not None:
        reason = f"deployment rejected by {user}: {body.comment}"
        deps.service.apply(
            state.workflow.workflow_id,
            (lambda engine: engine.approve()) if approve else (lambda engine: engine.abort(reason)),
        )
        deps.log.add(
            entry(
                decided.subject,
                state.workflow.workflow_id,
                state.workflow.parameters,
                decided.status.value,
                deps.service.clock(),
                detail=f"{user}: {body.comment}",
            )
        )
    deps.publisher.publish(decided_event(decided))
    return decided
