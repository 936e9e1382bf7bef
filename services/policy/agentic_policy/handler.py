"""Lambda entry points of the policy service: each builds what it needs once per process, on first call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentic_common.lambda_telemetry import flushes_telemetry
from agentic_common.request_guard import guarded

if TYPE_CHECKING:  # each entry point imports its own part on first call: the API no batch utilities
    from agentic_common.consumer import Consumer
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

_consumer: Consumer | None = None
_api: APIGatewayHttpResolver | None = None


def _get_consumer() -> Consumer:
    global _consumer  # noqa: PLW0603 - one consumer per process, built lazily (never at import)
    if _consumer is None:
        from agentic_policy.bootstrap import build  # noqa: PLC0415 - keep boto3 out of import time

        _consumer = build()
    return _consumer


def _get_api() -> APIGatewayHttpResolver:
    global _api  # noqa: PLW0603 - one API per process, built lazily
    if _api is None:
        from agentic_policy.bootstrap import build_api  # noqa: PLC0415

        _api = build_api()
    return _api


@flushes_telemetry
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """SQS policy-tasks."""
    return _get_consumer().handle_batch(event, context)


@flushes_telemetry
@guarded
def api_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """API Gateway HTTP API (payload v2): /policy/*."""
    return _get_api().resolve(event, context)
