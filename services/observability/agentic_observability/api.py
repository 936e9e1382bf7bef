"""Lambda entry point of the observability API (``/alerts``, ``/metrics``). Thin: build once, delegate."""

from __future__ import annotations

from typing import Any

from agentic_common.lambda_telemetry import flushes_telemetry
from agentic_common.request_guard import guarded
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

_app: APIGatewayHttpResolver | None = None


def _get() -> APIGatewayHttpResolver:
    global _app  # noqa: PLW0603 - one app per Lambda process, built on first use
    if _app is None:
        from agentic_observability.api_bootstrap import build_api  # noqa: PLC0415 - no work at import time

        _app = build_api()
    return _app


@flushes_telemetry
@guarded
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """API Gateway HTTP API (payload v2)."""
    return _get().resolve(event, context)
