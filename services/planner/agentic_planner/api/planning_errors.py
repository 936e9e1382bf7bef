"""How POST /workflows and POST /deploy answer the planner's own refusals.

- 422 ``unplannable_request``: the model's answer to a free-text request is not a workflow we run
  (no tool call, off-schema arguments, an unknown template, parameters or a repository the rules
  refuse); the message says why and to use a template.
- 503 ``model_unavailable`` with ``Retry-After``: the model's API could not be asked now.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from agentic_planner.api.errors import error_response
from agentic_planner.logic.create import UnplannableRequestError
from agentic_planner.ports import ProposerUnavailableError


def register_planning_errors(app: APIGatewayHttpResolver) -> None:
    @app.exception_handler(UnplannableRequestError)
    def unplannable(exc: UnplannableRequestError) -> Response[str]:
        errors = [{"field": p.field, "problem": p.problem} for p in exc.problems]
        return error_response(422, "unplannable_request", exc.problems[0].problem, errors)

    @app.exception_handler(ProposerUnavailableError)
    def model_unavailable(exc: ProposerUnavailableError) -> Response[str]:
        message = (
            f"free-text planning is unavailable: {exc}; retry in {exc.retry_after} s, "
            "or send a 'template' with 'parameters'"
        )
        response = error_response(503, "model_unavailable", message)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
