"""Every route but /health, /openapi.json and /docs needs the JWT claims API Gateway's authorizer put."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from agentic_planner.api.errors import error_response

PUBLIC_PATHS = frozenset({"/health", "/openapi.json", "/docs"})


def claims_of(app: APIGatewayHttpResolver) -> dict[str, Any]:
    """The verified token's claims (empty when there are none; the middleware refuses those first)."""
    authorizer = app.current_event.request_context.authorizer
    return dict(authorizer.jwt_claim or {}) if authorizer else {}


def require_jwt_claims(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    if app.current_event.path in PUBLIC_PATHS:
        return next_middleware(app)
    if not claims_of(app).get("sub"):
        return error_response(
            401,
            "unauthorized",
            "a bearer token is required: send 'Authorization: Bearer <token>' (locally: `agentic token`)",
        )
    return next_middleware(app)
