"""Every policy route needs the JWT claims API Gateway's authorizer put on the request."""

from __future__ import annotations

from typing import Any

from agentic_common.identity import Identity, identity_of
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from agentic_policy.api.errors import error_response


def _claims(app: APIGatewayHttpResolver) -> dict[str, Any]:
    authorizer = app.current_event.request_context.authorizer
    return dict(authorizer.jwt_claim or {}) if authorizer else {}


def caller_identity(app: APIGatewayHttpResolver) -> Identity:
    """The token's subject and groups (the same identity the planner records; never a body field)."""
    return identity_of(_claims(app))


def caller(app: APIGatewayHttpResolver) -> str:
    return caller_identity(app).subject


def require_jwt_claims(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    if not caller(app):
        return error_response(
            401,
            "unauthorized",
            "a bearer token is required: send 'Authorization: Bearer <token>' (locally: `agentic token`)",
        )
    return next_middleware(app)
