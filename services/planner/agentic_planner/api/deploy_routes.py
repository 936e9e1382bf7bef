"""Routes /deploy, /deployments and /approvals, registered on the planner's resolver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from agentic_common.approvals import Approval, effective_rule
from agentic_common.http_auth import caller_identity, json_response
from agentic_common.identity import IdentityMismatchError, requester
from agentic_common.problem_responses import problem_response
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from agentic_planner.api.deploy_views import DecisionBody, DeployBody, history_view, service_history
from agentic_planner.api.headers import idempotency_key
from agentic_planner.logic import deploy_requests
from agentic_planner.logic.approvers import Approvers, may_approve
from agentic_planner.logic.catalogue import InvalidParametersError
from agentic_planner.logic.deploy_requests import Decision, DeploymentPorts
from agentic_planner.settings import PlannerSettings


@dataclass
class DeploymentApiDeps:
    ports: DeploymentPorts
    settings: PlannerSettings


def register_deployment_routes(app: APIGatewayHttpResolver, deps: DeploymentApiDeps) -> None:
    _deploy_routes(app, deps)
    _approval_routes(app, deps)


def _deploy_routes(app: APIGatewayHttpResolver, deps: DeploymentApiDeps) -> None:
    @app.post("/deploy", summary="Deploy a version of a service (a one-task deployment workflow)")
    def deploy(body: Annotated[DeployBody, Body()]) -> Response[str]:
        try:
            requested_by, via = requester(
                caller_identity(app), body.requestedBy, deps.settings.service_principals
            )
        except IdentityMismatchError as exc:
            return problem_response(
                403, "identity_mismatch", str(exc), [{"field": "requestedBy", "problem": str(exc)}]
            )
        fields = body.model_dump(exclude={"requestedBy"})
        requested = deploy_requests.DeployRequestIn(**fields, requested_by=requested_by, via=via)
        try:
            accepted = deploy_requests.request_deployment(deps.ports, requested, idempotency_key(app))
        except deploy_requests.UnknownRepositoryError as exc:
            return problem_response(
                422, "invalid_request", str(exc), [{"field": "repoUrl", "problem": str(exc)}]
            )
        except InvalidParametersError as exc:  # the body's fields are the deploy template's parameters
            errors = [
                {"field": p.field.removeprefix("parameters."), "problem": p.problem} for p in exc.problems
            ]
            return problem_response(422, "invalid_request", errors[0]["problem"], errors)
        return json_response(202, accepted)

    @app.get("/deployments/<deployment_id>", summary="One deployment with its history")
    def get_deployment(deployment_id: str) -> Response[str]:
        entries = deps.ports.log.of(deployment_id)
        if not entries:
            return problem_response(404, "not_found", f"no deployment {deployment_id!r}")
        return json_response(200, history_view(entries))

    @app.get("/deployments", summary="A service's deployments, newest first")
    def list_deployments(
        service: Annotated[str, Query(min_length=3, max_length=63)],
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> Response[str]:
        return json_response(
            200, {"deployments": service_history(deps.ports.log.of_service(service, 500))[:limit]}
        )


def _approval_routes(app: APIGatewayHttpResolver, deps: DeploymentApiDeps) -> None:
    @app.get("/approvals", summary="Pending approvals, oldest first")
    def pending(
        kind: Annotated[str | None, Query(pattern="^(deployment|remediation)$")] = None,
    ) -> Response[str]:
        return json_response(200, {"approvals": [_view(a) for a in deps.ports.approvals.pending(kind)]})

    @app.get("/approvals/<approval_id>", summary="One approval with its audit trail")
    def get_approval(approval_id: str) -> Response[str]:
        approval = deps.ports.approvals.get(approval_id)
        if approval is None:
            return problem_response(404, "not_found", f"no approval {approval_id!r}")
        return json_response(200, _view(approval))

    @app.post("/approvals/<approval_id>", summary="Approve or reject (authorised users only)")
    def decide(approval_id: str, body: Annotated[DecisionBody, Body()]) -> Response[str]:
        who = caller_identity(app)
        settings = deps.settings
        refused = may_approve(
            who, Approvers(settings.approver_groups, settings.approvers, settings.service_principals)
        )
        if refused:
            return problem_response(403, "forbidden", refused)
        try:
            decision = Decision(approve=body.decision == "approve", comment=body.comment)
            approval = deploy_requests.decide(deps.ports, approval_id, decision, who)
        except deploy_requests.DecisionError as exc:
            return problem_response(exc.status, exc.code, str(exc))
        return json_response(200, _view(approval))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _view(approval: Approval) -> dict[str, Any]:
    rule = effective_rule(approval)
    return {
        "approvalId": approval.approval_id,
        "kind": approval.kind,
        "subject": approval.subject,
        "workflowId": approval.workflow_id,
        "service": approval.service,
        "environment": approval.environment,
        "digest": approval.digest,
        "summary": approval.summary,
        "status": approval.status.value,
        "requestedBy": approval.requested_by,
        "via": approval.via,
        "requestedAt": _iso(approval.requested_at),
        "expiresAt": _iso(approval.expires_at),
        "rule": {
            "approversRequired": max(rule.approvers, 1),
            "requesterMayApprove": rule.requester_may_approve,
            "text": rule.describe(),
        },
        "approvedBy": list(approval.approved_by),
        "decidedBy": approval.decided_by,
        "comment": approval.comment,
        "decidedAt": _iso(approval.decided_at),
        "audit": [
            {"at": _iso(e.at), "actor": e.actor, "action": e.action, "comment": e.comment, "digest": e.digest}
            for e in approval.audit
        ],
    }
