"""Typed event contracts, one module per producing service."""

from agentic_common.events.envelope import Envelope, EventDetail, TraceContext, source_of
from agentic_common.events.registry import EVENT_MODELS, InvalidEventError, parse_eventbridge_message

__all__ = [
    "EVENT_MODELS",
    "Envelope",
    "EventDetail",
    "InvalidEventError",
    "TraceContext",
    "parse_eventbridge_message",
    "source_of",
]
