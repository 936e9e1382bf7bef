"""Error bodies people can act on: a code, a message, and each field with its problem."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types


def error_response(
    status: int, code: str, message: str, errors: list[dict[str, str]] | None = None, **extra: Any
) -> Response[str]:
    body: dict[str, Any] = {"error": code, "message": message}
    if errors:
        body["errors"] = errors
    body |= extra
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=json.dumps(body))


def field_errors_from_pydantic(raw_errors: list[Any]) -> list[dict[str, str]]:
    problems = []
    for error in raw_errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body",)]
        field = ".".join(loc) or "body"
        message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
        problems.append({"field": field, "problem": message})
    return problems
