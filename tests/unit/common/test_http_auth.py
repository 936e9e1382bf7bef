"""The one HTTP auth helper: who may pass the JWT middleware, and what the others are told."""

from __future__ import annotations

import json
from typing import Any

from agentic_common.http_auth import caller_identity, json_response, require_jwt
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from tests.helpers import api_event


def an_app() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver()
    app.use(middlewares=[require_jwt({"/health"})])

    @app.get("/health")
    def health() -> Response[str]:
        return json_response(200, {"status": "ok"})

    @app.get("/me")
    def me() -> Response[str]:
        return json_response(200, {"subject": caller_identity(app).subject})

    return app


def call(path: str, claims: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
    response = an_app().resolve(api_event("GET", path, claims=claims), None)
    return response["statusCode"], response["headers"]["Content-Type"], json.loads(response["body"])


def test_a_request_without_claims_is_a_401_problem_telling_how_to_get_a_token() -> None:
    # Given / When a request reaches a protected route with no verified claims
    status, content_type, body = call("/me", claims={})

    # Then it is refused with a problem that says what to send
    assert (status, content_type) == (401, "application/problem+json")
    assert body["error"] == "unauthorized"
    assert "Authorization: Bearer" in body["detail"]


def test_claims_without_a_subject_are_refused() -> None:
    # Given / When the claims name no subject
    status, _, _ = call("/me", claims={"email": "dev@example.com"})

    # Then
    assert status == 401


def test_the_caller_is_the_tokens_subject() -> None:
    # Given / When a verified token's claims reach the route
    status, _, body = call("/me", claims={"sub": "user:default/jane"})

    # Then the route sees that subject
    assert (status, body) == (200, {"subject": "user:default/jane"})


def test_a_public_path_needs_no_token() -> None:
    # Given / When the public path is called without claims
    status, _, body = call("/health", claims={})

    # Then it answers
    assert (status, body) == (200, {"status": "ok"})
