"""Lambda entry point of the observability API (``/alerts``, ``/metrics``). Thin: build once, delegate."""

from __future__ import annotations

from typing import Any

from agentic_common.lambda_telemetry import flushes_telemetry
from agentic_common.request_guard import guarded
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

_api: APIGatewayHttpResolver | None = None


def _get_api() -> APIGatewayHttpResolver:
    global _api  # noqa: PLW0603 - one app per Lambda process, built on first use
    if _api is None:
        from agentic_observability.bootstrap import build_api  # noqa: PLC0415 - no work at import time

        _api = build_api()
    return _api


@flushes_telemetry
@guarded
def api_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """API Gateway HTTP API (payload v2)."""
    return _get_api().resolve(event, context)
