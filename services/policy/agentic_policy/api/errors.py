"""Error bodies people can act on: ``{"error": code, "message": ..., "errors": [{field, problem}]}``."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.extra = status, code, message, field, extra

    def response(self) -> Response[str]:
        errors = [{"field": self.field, "problem": self.message}] if self.field else None
        return error_response(self.status, self.code, self.message, errors, **self.extra)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(body),
        headers=headers or {},
    )


def error_response(
    status: int, code: str, message: str, errors: list[dict[str, str]] | None = None, **extra: Any
) -> Response[str]:
    body: dict[str, Any] = {"error": code, "message": message}
    if errors:
        body["errors"] = errors
    return json_response(status, body | extra)


def pydantic_problems(raw_errors: list[Any]) -> list[dict[str, str]]:
    return [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body",
            "problem": str(e.get("msg", "is invalid")).removeprefix("Value error, "),
        }
        for e in raw_errors
    ]
