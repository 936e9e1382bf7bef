"""Lambda entry point of the codegen service (SQS FIFO batches of task.created events)."""

from __future__ import annotations

from functools import cache
from typing import Any

from agentic_common.consumer import Consumer
from agentic_common.lambda_telemetry import flushes_telemetry

from agentic_codegen.bootstrap import build


@cache
def _consumer() -> Consumer:
    """Built on the first invocation, then reused for the life of the process."""
    return build()


@flushes_telemetry
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _consumer().handle_batch(event, context)
