"""One HTTP auth helper for every service's API (Powertools resolver behind API Gateway's JWT authorizer).

API Gateway verifies the token (locally: the gateway's ``LocalVerifier``, its keys read once per
process) and puts the claims on the request; a route reads who is calling from them, never from a
body field. ``require_jwt`` is the middleware that answers 401 (an RFC 9457 problem) when there are
none, except on the API's public paths.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from agentic_common.identity import Identity, identity_of
from agentic_common.problem_responses import problem_response

BEARER_REQUIRED = (
    "a bearer token is required: send 'Authorization: Bearer <token>' (locally: `agentic token`)"
)

Middleware = Callable[[APIGatewayHttpResolver, NextMiddleware], Response[Any]]


def claims_of(app: APIGatewayHttpResolver) -> dict[str, Any]:
    """The verified token's claims (empty when there are none; ``require_jwt`` refuses those first)."""
    authorizer = app.current_event.request_context.authorizer
    return dict(authorizer.jwt_claim or {}) if authorizer else {}


def caller_identity(app: APIGatewayHttpResolver) -> Identity:
    """The token's subject and groups (the same identity every service records)."""
    return identity_of(claims_of(app))


def unauthorized() -> Response[str]:
    return problem_response(401, "unauthorized", BEARER_REQUIRED)


def require_jwt(public_paths: Collection[str] = ()) -> Middleware:
    """A middleware: every path but ``public_paths`` needs claims with a subject."""
    public = frozenset(public_paths)

    def middleware(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
        if app.current_event.path in public or claims_of(app).get("sub"):
            return next_middleware(app)
        return unauthorized()

    return middleware


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(body),
        headers=headers or {},
    )
