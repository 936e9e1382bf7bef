"""Lambda entry points of the planner. Thin: build once per process, delegate, return."""

from __future__ import annotations

from typing import Any

from agentic_common.lambda_telemetry import flushes_telemetry

from agentic_planner.bootstrap import Planner, build

_planner: Planner | None = None


def _get() -> Planner:
    global _planner  # noqa: PLW0603 - one planner per Lambda process, built on first use
    if _planner is None:
        _planner = build()
    return _planner


@flushes_telemetry
def api_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """API Gateway HTTP API (payload v2)."""
    return _get().handle_api(event, context)


@flushes_telemetry
def events_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """SQS planner-events: task results, dead-letter reports, remediation records, notifications."""
    return _get().consumer.handle_batch(event, context)


@flushes_telemetry
def sweep_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Scheduled: flush outboxes, time out stuck attempts, dispatch due retries."""
    return _get().service.sweep()
