"""``/policy/waivers``: request a waiver, approve one (four eyes), read one with its audit trail, list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentic_common.http_auth import caller_identity, json_response
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from agentic_policy.api.errors import ApiError
from agentic_policy.api.views import waiver_view
from agentic_policy.logic.waiver_flow import WaiverError, WaiverFlow
from agentic_policy.logic.waivers import WaiverRequest

STATUS = {"forbidden": 403, "not_found": 404, "conflict": 409, "invalid": 422}


def _api_error(error: WaiverError) -> ApiError:
    return ApiError(STATUS[error.kind], error.code, error.message, error.field)


def waiver_routes(
    app: APIGatewayHttpResolver, flow: WaiverFlow, parse_body: Callable[[type[WaiverRequest]], Any]
) -> None:
    @app.post("/policy/waivers")
    def create_waiver() -> Response[str]:
        request: WaiverRequest = parse_body(WaiverRequest)
        at = flow.clock()
        try:
            waiver = flow.request(request, caller_identity(app), at)
        except WaiverError as exc:
            raise _api_error(exc) from None
        status = 202 if waiver.status == "pending" else 201
        return json_response(
            status, waiver_view(waiver, at), {"Location": f"/policy/waivers/{waiver.waiver_id}"}
        )

    @app.post("/policy/waivers/<waiver_id>/approve")
    def approve_waiver(waiver_id: str) -> Response[str]:
        at = flow.clock()
        try:
            waiver = flow.approve(waiver_id, caller_identity(app), at)
        except WaiverError as exc:
            raise _api_error(exc) from None
        return json_response(200, waiver_view(waiver, at))

    @app.get("/policy/waivers/<waiver_id>")
    def get_waiver(waiver_id: str) -> Response[str]:
        waiver = flow.store.get(waiver_id)
        if waiver is None:
            raise ApiError(404, "not_found", f"no waiver {waiver_id!r}")
        return json_response(200, waiver_view(waiver, flow.clock()))

    @app.get("/policy/waivers")
    def list_waivers() -> Response[str]:
        repository = app.current_event.get_query_string_value("repository")
        at = flow.clock()
        return json_response(200, {"waivers": [waiver_view(w, at) for w in flow.store.list(repository)]})
