"""Error bodies people can act on: RFC 9457 problems from the platform's one helper (agentic_common)."""

from __future__ import annotations

from typing import Any

from agentic_common.problem_responses import problem_response
from agentic_common.problems import field_problems
from aws_lambda_powertools.event_handler import Response


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.extra = status, code, message, field, extra

    def response(self) -> Response[str]:
        errors = [{"field": self.field, "problem": self.message}] if self.field else None
        return error_response(self.status, self.code, self.message, errors, **self.extra)


def error_response(
    status: int, code: str, message: str, errors: list[dict[str, str]] | None = None, **extra: Any
) -> Response[str]:
    return problem_response(status, code, message, errors, **extra)


def pydantic_problems(raw_errors: list[Any]) -> list[dict[str, str]]:
    return field_problems(raw_errors)
