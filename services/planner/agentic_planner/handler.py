"""Lambda entry points of the planner. Thin: each builds its own part once per process, delegates, returns.

Each entry point builds (and imports) only what it uses, on its first invocation: the API does not
load the events consumer or the notification channels, the sweep neither of them.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from agentic_common.lambda_telemetry import flushes_telemetry

from agentic_planner.bootstrap import PlannerApi, build_api, build_events, build_sweep

if TYPE_CHECKING:
    from agentic_common.consumer import Consumer

    from agentic_planner.logic.workflows import WorkflowService


@cache
def _api() -> PlannerApi:
    return build_api()


@cache
def _consumer() -> Consumer:
    return build_events()


@cache
def _service() -> WorkflowService:
    return build_sweep()


@flushes_telemetry
def api_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """API Gateway HTTP API (payload v2)."""
    return _api().handle_api(event, context)


@flushes_telemetry
def events_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """SQS planner-events: task results, dead-letter reports, remediation records, notifications."""
    return _consumer().handle_batch(event, context)


@flushes_telemetry
def sweep_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Scheduled: flush outboxes, time out stuck attempts, dispatch due retries."""
    return _service().sweep()
