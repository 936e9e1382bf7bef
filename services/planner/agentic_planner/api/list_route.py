"""``GET /workflows``: one status, several (``status=a,b``) or ``status=any`` in one call, newest first."""

from __future__ import annotations

from typing import Annotated

from agentic_common.http_auth import json_response
from agentic_common.problem_responses import problem_response
from agentic_common.state import WorkflowPage, WorkflowStatus
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from agentic_planner.api.models import workflow_summary
from agentic_planner.logic import workflow_listing as listing
from agentic_planner.logic.workflow_listing import WorkflowFilter
from agentic_planner.logic.workflow_statuses import InvalidStatusError, list_statuses, parse_statuses
from agentic_planner.logic.workflows import WorkflowService

NAME = r"^[a-z]([a-z0-9-]*[a-z0-9])?$"  # a template or service name


def register_list_route(app: APIGatewayHttpResolver, workflows: WorkflowService) -> None:
    @app.get(
        "/workflows",
        summary="Workflows by status (one, several as status=a,b, or status=any), newest first (paginated)",
    )
    def list_workflows(
        *,
        status: Annotated[str, Query(min_length=1, max_length=120)] = WorkflowStatus.IN_PROGRESS.value,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, Query(max_length=2048)] = None,
        template: Annotated[str | None, Query(min_length=1, max_length=63, pattern=NAME)] = None,
        service: Annotated[str | None, Query(min_length=3, max_length=63, pattern=NAME)] = None,
        requester: Annotated[str | None, Query(min_length=3, max_length=254, pattern=r"^\S+$")] = None,
    ) -> Response[str]:
        if template is not None and template not in workflows.catalogue.names:
            problem = f"{template!r} is not a catalogue template (see GET /templates)"
            return problem_response(
                422, "invalid_request", problem, [{"field": "query.template", "problem": problem}]
            )
        try:
            statuses = parse_statuses(status)
        except InvalidStatusError as exc:
            return problem_response(
                422, "invalid_request", f"status {exc}", [{"field": "query.status", "problem": str(exc)}]
            )
        where = WorkflowFilter(template=template, service=service, requester=requester)

        def read(one: WorkflowStatus, size: int, start: str | None) -> WorkflowPage:
            return listing.list_workflows(workflows.store, one, size, start, where)

        try:
            if len(statuses) == 1:
                page = read(statuses[0], limit, cursor)
            else:
                page = list_statuses(read, statuses, limit, cursor)
        except ValueError:
            problem = "is not one this API returned for this status; drop it to list from the start"
            return problem_response(
                400, "invalid_cursor", f"cursor {problem}", [{"field": "cursor", "problem": problem}]
            )
        return json_response(
            200, {"workflows": [workflow_summary(w) for w in page.workflows], "nextCursor": page.next_cursor}
        )
