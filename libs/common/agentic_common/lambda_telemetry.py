"""Every Lambda invocation returns with its telemetry exported.

Lambda freezes the execution environment as soon as the handler returns, possibly for minutes, possibly
for ever: spans still queued in a ``BatchSpanProcessor`` would be exported late, or lost with the
environment. ``flushes_telemetry`` wraps a handler so that, whatever it returns or raises, the tracer
provider is force-flushed before control goes back to the Lambda runtime. The flush is bounded by
the invocation's remaining time, so a slow collector cannot turn a finished invocation into a timeout.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from opentelemetry import trace

T = TypeVar("T")
FLUSH_TIMEOUT_MILLIS = 5_000
MIN_FLUSH_MILLIS = 100
SAFETY_MARGIN_MILLIS = 500
log = logging.getLogger(__name__)


def flush_telemetry(timeout_millis: int = FLUSH_TIMEOUT_MILLIS) -> bool:
    """Export every ended span now; False when the exporters did not finish in time.

    The tracer provider ``setup_telemetry`` installed is flushed (the SDK's can; the API's no-op one,
    before any set-up, cannot), so this module imports only the OpenTelemetry API, not the SDK. No meter
    provider is installed (see ``setup_telemetry``), so there is no metric to flush.
    """
    force_flush = getattr(trace.get_tracer_provider(), "force_flush", None)
    done = bool(force_flush(timeout_millis)) if callable(force_flush) else True
    if not done:
        log.warning("telemetry was not fully exported within %d ms", timeout_millis)
    return done


def flush_budget(context: Any) -> int:
    """How long the flush may take: at most 5 s, and never past the invocation's remaining time."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return FLUSH_TIMEOUT_MILLIS
    left = int(remaining()) - SAFETY_MARGIN_MILLIS
    return max(MIN_FLUSH_MILLIS, min(FLUSH_TIMEOUT_MILLIS, left))


class FlushingHandler(Generic[T]):
    """A Lambda handler that flushes telemetry before each invocation returns (see the module doc)."""

    def __init__(self, handler: Callable[[dict[str, Any], Any], T]) -> None:
        functools.update_wrapper(self, handler)
        self.__wrapped__ = handler

    def __call__(self, event: dict[str, Any], context: Any) -> T:
        try:
            return self.__wrapped__(event, context)
        finally:
            flush_telemetry(flush_budget(context))


def flushes_telemetry(handler: Callable[[dict[str, Any], Any], T]) -> FlushingHandler[T]:
    """Decorate a Lambda entry point: ``@flushes_telemetry`` above ``def handler(event, context)``."""
    return FlushingHandler(handler)
