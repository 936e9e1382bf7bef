"""Problems as Powertools responses, and the handlers every service's resolver registers.

``register_problem_handlers`` gives an API the platform's answers to what no route of it handles:
404 for an unknown path, 405 with ``Allow`` for a method the document does not declare on a known
path, 204 with ``Allow`` for OPTIONS, and 400 for a body nested too deeply to decode (``RecursionError``)
or a multipart body without its boundary: client errors, never a 500.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from agentic_common.api_contract import allowed_methods
from agentic_common.problems import PROBLEM_JSON, problem_bytes


def problem_response(
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[str]:
    body = problem_bytes(status, code, detail, errors, **extra).decode()
    return Response(status_code=status, content_type=PROBLEM_JSON, body=body, headers=headers or {})


def unrouted(method: str, path: str, service: str) -> Response[str]:
    """The answer to a request no route handles: 204 for OPTIONS, 405 with Allow, else 404."""
    allowed = allowed_methods(path)
    if allowed is None:
        return problem_response(
            404, "not_found", f"no route {method} {path} in the {service} API (see /docs)"
        )
    allow = {"Allow": ", ".join(allowed)}
    if method == "OPTIONS":
        return Response(status_code=204, body="", headers=allow)
    return problem_response(
        405, "method_not_allowed", f"{path} answers {', '.join(allowed)}, not {method}", headers=allow
    )


def body_problem(exc: Exception) -> Response[str]:
    if isinstance(exc, RecursionError):
        detail = "the request body is nested too deeply to decode; send at most a few dozen levels"
    else:
        detail = f"the request body cannot be read: {exc}"
    return problem_response(400, "unreadable_body", detail, [{"field": "body", "problem": detail}])


def register_problem_handlers(app: APIGatewayHttpResolver, service: str) -> None:
    @app.not_found
    def not_found(_: Exception) -> Response[str]:
        event = app.current_event
        return unrouted(event.http_method.upper(), event.path, service)

    app.exception_handler(RecursionError)(body_problem)
