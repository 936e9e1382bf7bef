"""Use cases behind /deploy and /approvals: start a deployment workflow; decide an approval.

The approval itself is requested by the workflow service's gate (``logic.approval_gate``), the same
for ``POST /deploy`` and every template on ``POST /workflows``. Deciding applies the approval's rule
(distinct approvers, four eyes) and audits who, when and the digest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from agentic_common.approvals import (
    Approval,
    ApprovalNotPendingError,
    ApprovalStatus,
    ApprovalStore,
    DuplicateApproverError,
    SelfApprovalError,
)
from agentic_common.approvals.deployment import approval_id_for, deployment_id_for
from agentic_common.bus import EventPublisher
from agentic_common.events.approvals import decided_event
from agentic_common.identity import Identity
from agentic_common.records.deployments import DeploymentHistory, RequestStatus
from agentic_common.state import WorkflowState, WorkflowStatus

from agentic_planner.logic.approval_gate import digest_for
from agentic_planner.logic.create import CreateRequest, create_workflow
from agentic_planner.logic.deployment_entries import entry
from agentic_planner.logic.workflows import WorkflowService

log = logging.getLogger(__name__)
TEMPLATE = "deploy"


class UnknownRepositoryError(LookupError):
    pass


class DecisionError(RuntimeError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


@dataclass(frozen=True)
class DeploymentPorts:
    """What the /deploy and /approvals use cases take."""

    service: WorkflowService
    approvals: ApprovalStore
    log: DeploymentHistory
    publisher: EventPublisher


@dataclass(frozen=True)
class Decision:
    approve: bool
    comment: str


@dataclass(frozen=True)
class DeployRequestIn:
    service: str
    version: str
    environment: str
    strategy: str
    repoUrl: str | None  # noqa: N815
    requested_by: str
    via: str | None = None


def _repository(deps: DeploymentPorts, req: DeployRequestIn) -> str:
    if req.repoUrl:
        return req.repoUrl
    known = [e.repo_url for e in deps.log.of_service(req.service, 20) if e.repo_url]
    if not known:
        raise UnknownRepositoryError(
            f"no earlier deployment of {req.service!r} records its repository: send 'repoUrl'"
        )
    return str(known[0])


def request_deployment(deps: DeploymentPorts, req: DeployRequestIn, key: str | None) -> dict[str, Any]:
    params = {
        "service": req.service,
        "version": req.version,
        "environment": req.environment,
        "strategy": req.strategy,
        "repoUrl": _repository(deps, req),
    }
    body = {"deploy": params, "requestedBy": req.requested_by, "via": req.via}
    created = create_workflow(
        deps.service, CreateRequest(req.requested_by, TEMPLATE, params, via=req.via), body, key
    )
    workflow = created.state.workflow
    deployment_id = deployment_id_for(workflow.workflow_id)
    answer: dict[str, Any] = {
        "deploymentId": deployment_id,
        "workflowId": workflow.workflow_id,
        "status": workflow.status.value,
        "version": workflow.parameters["version"],
        "ref": workflow.parameters.get("ref", workflow.parameters["version"]),
    }
    waiting = workflow.status == WorkflowStatus.AWAITING_APPROVAL
    if waiting:
        answer["approvalId"] = approval_id_for(workflow.workflow_id)
    if not created.replayed:
        status: RequestStatus = "awaiting_approval" if waiting else "requested"
        deps.log.record(
            entry(deployment_id, workflow.workflow_id, workflow.parameters, status, deps.service.clock())
        )
    return answer


def _check_digest(deps: DeploymentPorts, approval: Approval, state: WorkflowState | None) -> None:
    if state is None or approval.status is not ApprovalStatus.PENDING:
        return
    expected = digest_for(state, deps.service.catalogue.get(state.workflow.template))
    if expected is not None and expected != approval.digest:
        deps.approvals.void(approval.approval_id, "the artifact or the plan changed after it was requested")
        raise DecisionError(
            409, "approval_void", f"approval {approval.approval_id} is void: what it covered changed"
        )


def _decide(deps: DeploymentPorts, approval_id: str, body: Decision, who: Identity) -> Approval:
    try:
        return deps.approvals.decide(approval_id, body.approve, who.subject, body.comment, aliases=who.names)
    except SelfApprovalError as exc:
        raise DecisionError(403, "four_eyes", str(exc)) from None
    except DuplicateApproverError as exc:
        raise DecisionError(409, "already_approved_by_you", str(exc)) from None
    except ApprovalNotPendingError as exc:
        raise DecisionError(409, "not_pending", str(exc)) from None


def decide(deps: DeploymentPorts, approval_id: str, body: Decision, who: Identity) -> Approval:
    approval = deps.approvals.get(approval_id)
    if approval is None:
        raise DecisionError(404, "not_found", f"no approval {approval_id!r}")
    workflow_id = approval.workflow_id if approval.kind == "deployment" else None
    state = deps.service.store.load(workflow_id) if workflow_id else None
    _check_digest(deps, approval, state)
    decided = _decide(deps, approval_id, body, who)
    last = decided.audit[-1]
    log.info(
        "approval %s: %s by %s at %s on digest %s (%d of %d): %s",
        approval_id,
        last.action,
        last.actor,
        last.at.isoformat(),
        last.digest,
        len(decided.approved_by),
        decided.approvers_required,
        body.comment,
        extra={"audit": "approval.decided", "workflow_id": decided.workflow_id},
    )
    if decided.status not in (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED):
        _log_entry(deps, decided, state, "awaiting_approval", f"{last.actor} approved: {body.comment}")
        return decided  # more approvers needed: the workflow keeps waiting
    if state is not None:
        reason = f"deployment rejected by {who.subject}: {body.comment}"
        approve = decided.status is ApprovalStatus.APPROVED
        deps.service.apply(
            state.workflow.workflow_id,
            (lambda engine: engine.approve()) if approve else (lambda engine: engine.abort(reason)),
        )
    outcome: RequestStatus = "approved" if decided.status is ApprovalStatus.APPROVED else "rejected"
    _log_entry(deps, decided, state, outcome, f"{who.subject}: {body.comment}")
    deps.publisher.publish(decided_event(decided))
    return decided


def _log_entry(
    deps: DeploymentPorts, approval: Approval, state: WorkflowState | None, status: RequestStatus, detail: str
) -> None:
    """The deployment history of a ``POST /deploy`` workflow records each decision."""
    if state is None or "service" not in state.workflow.parameters:
        return
    params = state.workflow.parameters
    deps.log.record(
        entry(
            approval.subject, state.workflow.workflow_id, params, status, deps.service.clock(), detail=detail
        )
    )
