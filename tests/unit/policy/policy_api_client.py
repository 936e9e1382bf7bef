"""API Gateway HTTP API (v2) events for the policy resolver, with the token claims a test chooses."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

ALICE = {"sub": "alice@example.com"}


def request(
    method: str,
    path: str,
    body: Any = None,
    *,
    raw: str | None = None,
    authed: bool = True,
    query: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "http": {"method": method, "path": path},
        "requestId": "r",
        "stage": "$default",
    }
    if authed:
        context["authorizer"] = {"jwt": {"claims": claims or ALICE, "scopes": []}}
    event: dict[str, Any] = {
        "version": "2.0",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {},
        "requestContext": context,
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = query
    if raw is not None or body is not None:
        event["body"] = raw if raw is not None else json.dumps(body)
    return event


def call(app: APIGatewayHttpResolver, event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = app.resolve(event, None)
    return response["statusCode"], json.loads(response["body"])
