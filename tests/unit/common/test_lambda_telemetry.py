"""flushes_telemetry: the providers are flushed after every invocation, within the invocation's time."""

from __future__ import annotations

from typing import Any

import pytest
from agentic_common.lambda_telemetry import (
    FLUSH_TIMEOUT_MILLIS,
    MIN_FLUSH_MILLIS,
    flush_budget,
    flushes_telemetry,
)
from agentic_common.telemetry import setup_telemetry
from opentelemetry import trace
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider


class FlushRecorder(SpanProcessor):
    def __init__(self) -> None:
        self.timeouts: list[int] = []

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        self.timeouts.append(timeout_millis)
        return True


class LambdaContext:
    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@pytest.fixture
def flushes() -> FlushRecorder:
    setup_telemetry("tests")
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    recorder = FlushRecorder()
    provider.add_span_processor(recorder)
    return recorder


def test_a_decorated_handler_returns_its_result_after_flushing(flushes: FlushRecorder) -> None:
    # Given a decorated handler
    handler = flushes_telemetry(lambda event, context: {"echo": event["n"]})
    # When it is invoked
    result = handler({"n": 7}, LambdaContext(remaining_ms=60_000))
    # Then it returns what the handler returned, and the span processors were flushed once, within 5 s
    assert result == {"echo": 7}
    [timeout] = flushes.timeouts
    assert 0 < timeout <= FLUSH_TIMEOUT_MILLIS


def test_a_handler_that_raises_is_flushed_too(flushes: FlushRecorder) -> None:
    # Given a decorated handler that fails
    def failing(event: dict[str, Any], context: Any) -> None:
        raise RuntimeError("boom")

    handler = flushes_telemetry(failing)
    # When it is invoked
    with pytest.raises(RuntimeError, match="boom"):
        handler({}, None)
    # Then the error still reaches the runtime, after the flush
    assert len(flushes.timeouts) == 1


def test_the_flush_never_runs_past_the_invocation_deadline() -> None:
    # Given an invocation with 2 s left
    # When the flush budget is computed
    budget = flush_budget(LambdaContext(remaining_ms=2_000))
    # Then it leaves a safety margin before the deadline
    assert budget == 1_500


def test_the_flush_budget_has_a_floor_when_the_invocation_is_out_of_time() -> None:
    assert flush_budget(LambdaContext(remaining_ms=10)) == MIN_FLUSH_MILLIS


def test_without_a_lambda_context_the_flush_gets_the_default_budget() -> None:
    assert flush_budget(None) == FLUSH_TIMEOUT_MILLIS


def test_the_decorated_handler_keeps_the_name_and_docstring_of_the_handler() -> None:
    def api_handler(event: dict[str, Any], context: Any) -> None:
        """The docstring."""

    handler = flushes_telemetry(api_handler)
    assert handler.__name__ == "api_handler"
    assert handler.__doc__ == "The docstring."
    assert handler.__wrapped__ is api_handler
