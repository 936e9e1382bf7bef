"""Lambda entry point for the policy-tasks queue: builds the consumer once per process, on first call."""

from __future__ import annotations

from typing import Any

from agentic_common.consumer import Consumer

_consumer: Consumer | None = None


def _get_consumer() -> Consumer:
    global _consumer  # noqa: PLW0603 - one consumer per process, built lazily (never at import)
    if _consumer is None:
        from agentic_policy.bootstrap import build  # noqa: PLC0415 - keep boto3 out of import time

        _consumer = build()
    return _consumer


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _get_consumer().handle_batch(event, context)
