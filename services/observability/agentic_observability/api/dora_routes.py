"""``GET /metrics/dora``: the four DORA metrics over a window, or per ISO week of it (``bucket=week``).

Query: ``window`` (``<n>h`` / ``<n>d``, default 30d), ``by`` (service | template), ``service`` (only
that one), ``bucket`` (none, or ``week`` for trends). A bad value is a 422 naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any, Literal

from agentic_common.problem_responses import problem_response
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types

from agentic_observability.logic.dora import InvalidWindowError, dora_metrics, parse_window
from agentic_observability.logic.dora_trends import DoraTrend, dora_trends
from agentic_observability.ports import DeploymentsReader

BUCKETS = ("week",)


def _refuse(field: str, problem: str) -> Response[str]:
    return problem_response(
        422, "invalid_request", f"{field}: {problem}", [{"field": field, "problem": problem}]
    )


def _json(body: dict[str, Any]) -> Response[str]:
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=json.dumps(body))


def trend_view(trend: DoraTrend) -> dict[str, Any]:
    weeks = []
    for week in trend.weeks:
        figures = asdict(week.metrics)
        figures.pop("group")
        weeks.append({"week_start": week.week_start.isoformat(), **figures})
    return {"group": trend.group, "weeks": weeks}


def register_dora_routes(
    app: APIGatewayHttpResolver, reader: DeploymentsReader, clock: Callable[[], datetime]
) -> None:
    @app.get("/metrics/dora")
    def dora() -> Response[str]:
        query = app.current_event.query_string_parameters or {}
        by, bucket = query.get("by", "service"), query.get("bucket")
        if by not in ("service", "template"):
            return _refuse("by", f"{by!r} is not service or template")
        if bucket is not None and bucket not in BUCKETS:
            return _refuse("bucket", f"{bucket!r} is not week (or leave it out for one figure per group)")
        try:
            window = parse_window(query.get("window", "30d"))
        except InvalidWindowError as exc:
            return _refuse("window", str(exc))
        group_by: Literal["service", "template"] = "template" if by == "template" else "service"
        service = query.get("service") or None
        head = {"window": query.get("window", "30d"), "by": by}
        if bucket == "week":
            trends = dora_trends(
                reader.deployments(), reader.workflows(), clock(), window, by=group_by, service=service
            )
            return _json(head | {"bucket": "week", "trends": [trend_view(t) for t in trends]})
        metrics = dora_metrics(
            reader.deployments(), reader.workflows(), clock(), window, by=group_by, service=service
        )
        return _json(head | {"metrics": [asdict(m) for m in metrics]})
