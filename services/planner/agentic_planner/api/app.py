"""The planner's HTTP API (API Gateway HTTP API → Lambda), Powertools resolver with OpenAPI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from agentic_common.http_auth import claims_of, json_response, require_jwt
from agentic_common.identity import IdentityMismatchError, identity_of, requester
from agentic_common.problem_responses import problem_response, register_problem_handlers
from agentic_common.problems import field_problems
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body
from opentelemetry import trace

from agentic_planner.api.deploy_routes import DeploymentApiDeps, register_deployment_routes
from agentic_planner.api.docs_page import register_document_routes
from agentic_planner.api.headers import InvalidHeaderError, idempotency_key
from agentic_planner.api.list_route import register_list_route
from agentic_planner.api.models import CreateWorkflowBody, workflow_view
from agentic_planner.api.planning_errors import register_planning_errors
from agentic_planner.api.template_routes import register_template_routes
from agentic_planner.logic.catalogue import InvalidParametersError, UnknownTemplateError
from agentic_planner.logic.create import (
    CreateRequest,
    FreeTextUnavailableError,
    IdempotencyConflictError,
    create_workflow,
)
from agentic_planner.logic.workflows import WorkflowService
from agentic_planner.ports import PlanProposer

API_VERSION = "1.0.0"
PUBLIC_PATHS = frozenset({"/health", "/openapi.json", "/docs"})  # no token needed
NAME = r"^[a-z]([a-z0-9-]*[a-z0-9])?$"  # a template or service name


@dataclass
class ApiDeps:
    service: WorkflowService
    proposer: PlanProposer | None = None
    deployments: DeploymentApiDeps | None = None
    service_principals: tuple[str, ...] = ()


def build_app(deps: ApiDeps) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)
    app.use(middlewares=[require_jwt(PUBLIC_PATHS)])
    register_document_routes(app)
    estimates = {
        name: {t.id: t.estimated_seconds for t in deps.service.catalogue.get(name).tasks}
        for name in deps.service.catalogue.names
    }

    @app.get("/health", summary="Liveness (no auth)")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/workflows", summary="Create a workflow from a catalogue template (or free text)")
    def create(body: Annotated[CreateWorkflowBody, Body()]) -> Response[str]:
        key = idempotency_key(app)
        requested_by, via = requester(identity_of(claims_of(app)), body.requestedBy, deps.service_principals)
        request = CreateRequest(
            requested_by=requested_by,
            template=body.template,
            parameters=body.parameters,
            request=body.request,
            via=via,
            replace=body.replace,
        )
        span = trace.get_current_span().get_span_context()
        traceparent = f"00-{span.trace_id:032x}-{span.span_id:016x}-01" if span.is_valid else None
        recorded = body.model_dump(mode="json") | {"requestedBy": requested_by, "via": via}
        result = create_workflow(
            deps.service, request, recorded, key, proposer=deps.proposer, traceparent=traceparent
        )
        view = workflow_view(result.state, estimates.get(result.state.workflow.template))
        headers = {"Location": f"/workflows/{result.state.workflow.workflow_id}"}
        if result.replayed:
            headers["Idempotent-Replayed"] = "true"
        return json_response(201, view, headers)

    @app.get("/workflows/<workflow_id>", summary="One workflow with its tasks and remediation records")
    def get_workflow(workflow_id: str) -> Response[str]:
        state = deps.service.store.load(workflow_id)
        if state is None:
            return problem_response(404, "not_found", f"no workflow {workflow_id!r}")
        return json_response(200, workflow_view(state, estimates.get(state.workflow.template)))

    register_list_route(app, deps.service)
    register_template_routes(app, deps.service.catalogue)
    if deps.deployments is not None:
        register_deployment_routes(app, deps.deployments)
    _register_error_handlers(app)
    register_planning_errors(app)
    return app


def _register_error_handlers(app: APIGatewayHttpResolver) -> None:
    register_problem_handlers(app, "planner")

    @app.exception_handler(InvalidHeaderError)
    def invalid_header(exc: InvalidHeaderError) -> Response[str]:
        return problem_response(
            400, "invalid_header", str(exc), [{"field": exc.header, "problem": exc.problem}]
        )

    @app.exception_handler(RequestValidationError)
    def invalid_request(exc: RequestValidationError) -> Response[str]:
        errors = field_problems(list(exc.errors()))
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return problem_response(400, "invalid_json", "the request body is not valid JSON", errors)
        return problem_response(422, "invalid_request", "the request is invalid; see errors", errors)

    @app.exception_handler(UnknownTemplateError)
    def unknown_template(exc: UnknownTemplateError) -> Response[str]:
        return problem_response(
            400,
            "unknown_template",
            str(exc),
            [{"field": "template", "problem": str(exc)}],
            knownTemplates=exc.known,
        )

    @app.exception_handler(InvalidParametersError)
    def invalid_parameters(exc: InvalidParametersError) -> Response[str]:
        errors = [{"field": p.field, "problem": p.problem} for p in exc.problems]
        return problem_response(
            422, "invalid_parameters", "the template parameters are invalid; see errors", errors
        )

    @app.exception_handler(FreeTextUnavailableError)
    def free_text(exc: FreeTextUnavailableError) -> Response[str]:
        return problem_response(
            422, "free_text_unavailable", str(exc), [{"field": "request", "problem": str(exc)}]
        )

    @app.exception_handler(IdentityMismatchError)
    def identity_mismatch(exc: IdentityMismatchError) -> Response[str]:
        return problem_response(
            403, "identity_mismatch", str(exc), [{"field": "requestedBy", "problem": str(exc)}]
        )

    @app.exception_handler(IdempotencyConflictError)
    def idempotency_conflict(exc: IdempotencyConflictError) -> Response[str]:
        return problem_response(409, "idempotency_key_reused", str(exc))
