"""How POST /workflows and POST /deploy answer the planner's own refusals.

- 422 ``unplannable_request``: the model's answer to a free-text request is not a workflow we run
  (no tool call, off-schema arguments, an unknown template, parameters or a repository the rules
  refuse); the message says why and to use a template.
- 503 ``model_unavailable`` with ``Retry-After``: the model's API could not be asked now.
- 409 ``service_name_taken``: the name holds a service of another language or pattern (named).
- 503 ``git_host_unavailable`` with ``Retry-After``: a deploy's version could not be resolved now.
"""

from __future__ import annotations

from agentic_common.problem_responses import problem_response
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from agentic_planner.logic.create import UnplannableRequestError
from agentic_planner.logic.repositories import GitHostUnavailableError
from agentic_planner.logic.service_names import ServiceNameTakenError
from agentic_planner.ports import ProposerUnavailableError

GIT_RETRY_AFTER = 30


def register_planning_errors(app: APIGatewayHttpResolver) -> None:
    @app.exception_handler(UnplannableRequestError)
    def unplannable(exc: UnplannableRequestError) -> Response[str]:
        errors = [{"field": p.field, "problem": p.problem} for p in exc.problems]
        return problem_response(422, "unplannable_request", exc.problems[0].problem, errors)

    @app.exception_handler(ProposerUnavailableError)
    def model_unavailable(exc: ProposerUnavailableError) -> Response[str]:
        message = (
            f"free-text planning is unavailable: {exc}; retry in {exc.retry_after} s, "
            "or send a 'template' with 'parameters'"
        )
        response = problem_response(503, "model_unavailable", message)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(ServiceNameTakenError)
    def name_taken(exc: ServiceNameTakenError) -> Response[str]:
        held = exc.held
        return problem_response(
            409,
            "service_name_taken",
            str(exc),
            [{"field": "parameters.serviceName", "problem": str(exc)}],
            existing={
                "serviceName": held.name,
                "language": held.language,
                "pattern": held.pattern,
                "workflowId": held.workflow_id,
            },
        )

    @app.exception_handler(GitHostUnavailableError)
    def git_host_unavailable(exc: GitHostUnavailableError) -> Response[str]:
        response = problem_response(503, "git_host_unavailable", f"{exc}; retry in {GIT_RETRY_AFTER} s")
        response.headers["Retry-After"] = str(GIT_RETRY_AFTER)
        return response
