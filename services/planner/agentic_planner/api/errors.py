"""Error bodies people can act on: RFC 9457 problems from the platform's one helper (agentic_common)."""

from __future__ import annotations

from typing import Any

from agentic_common.problem_responses import problem_response
from agentic_common.problems import field_problems
from aws_lambda_powertools.event_handler import Response


def error_response(
    status: int, code: str, message: str, errors: list[dict[str, str]] | None = None, **extra: Any
) -> Response[str]:
    return problem_response(status, code, message, errors, **extra)


def field_errors_from_pydantic(raw_errors: list[Any]) -> list[dict[str, str]]:
    return field_problems(raw_errors)
