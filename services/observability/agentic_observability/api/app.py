"""The observability HTTP API (Powertools resolver): Alertmanager intake and DORA metrics."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from agentic_common.bus import EventPublisher
from agentic_common.http_auth import json_response, require_jwt
from agentic_common.problem_responses import problem_response, register_problem_handlers
from agentic_common.problems import field_problems
from agentic_common.shared_secret import RejectedError, SecretSource, SecretUnavailableError, verify_bearer
from agentic_common.topology import Topology, default_topology, match_route
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from pydantic import ValidationError

from agentic_observability.api.dora_routes import register_dora_routes
from agentic_observability.logic.alerts import AlertmanagerWebhook, intake
from agentic_observability.logic.incident_summary import with_summary
from agentic_observability.logic.summary import TemplatedSummarizer
from agentic_observability.ports import AlertLedger, DeploymentsReader, Summarizer

log = logging.getLogger(__name__)


@dataclass
class ApiDeps:
    reader: DeploymentsReader
    ledger: AlertLedger
    publisher: EventPublisher
    alert_ttl_seconds: int = 3600
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    summarizer: Summarizer = field(default_factory=TemplatedSummarizer)
    webhook_secret: SecretSource | None = None  # the Alertmanager route's shared secret
    topology: Topology = field(default_factory=default_topology)


def check_shared_secret(authorization: str | None, secret: SecretSource | None) -> Response[str] | None:
    """None when the webhook's shared secret is presented; else the 401 (or 503) to answer with."""
    try:
        if secret is None:
            raise RejectedError("the webhook secret is not valid")
        verify_bearer(authorization, secret)
    except RejectedError as exc:
        log.info("webhook request rejected: %s", exc)
        detail = f"{exc} (see docs/guide/observability.md)"
        return problem_response(
            401, "unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="alertmanager-webhook"'}
        )
    except SecretUnavailableError as exc:
        log.error("webhook request not checked: %s", exc)
        detail = "the webhook secret cannot be read now; retry later"
        return problem_response(503, "auth_unavailable", detail, headers={"Retry-After": "30"})
    return None


def build_app(deps: ApiDeps) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver()

    jwt = require_jwt()

    def authorize(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
        """A shared-secret route (Alertmanager) checks its secret; every other route requires a JWT."""
        route = match_route(deps.topology.api_routes, app.current_event.path)
        if route is None or route.shared_secret is None:
            return jwt(app, next_middleware)
        refused = check_shared_secret(app.current_event.headers.get("authorization"), deps.webhook_secret)
        return refused or next_middleware(app)

    app.use(middlewares=[authorize])

    @app.post("/alerts/alertmanager")
    def alertmanager() -> Response[str]:
        try:
            hook = AlertmanagerWebhook.model_validate_json(app.current_event.body or "")
        except ValidationError as exc:
            return problem_response(
                422,
                "invalid_webhook",
                "the body is not an Alertmanager webhook; see errors",
                field_problems(exc.errors()),
            )
        result = intake(hook, deps.ledger, deps.reader.deployments(), deps.clock(), deps.alert_ttl_seconds)
        events = [with_summary(e, deps.summarizer) for e in result.events]
        if events:
            deps.publisher.publish(*events)
        return json_response(
            202,
            {
                "published": [
                    {"service": e.service, "incidentId": e.incident_id, "eventId": e.event_id} for e in events
                ],
                "new": result.new,
                "duplicates": result.duplicates,
                "resolved": result.resolved,
                "unattributed": result.unattributed,
            },
        )

    register_dora_routes(app, deps.reader, deps.clock)
    register_problem_handlers(app, "observability")
    return app
