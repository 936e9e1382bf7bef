"""The one event envelope every service publishes and consumes.

EventBridge carries ``source`` (``agentic.<service>``) and ``detail-type`` (``<noun>.<verb>``);
the ``detail`` is one of the frozen models below. Every detail carries the idempotency key
(``event_id``), the workflow it belongs to and the W3C trace context of its producer.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import ClassVar, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Final = "1"
SOURCE_PREFIX = "agentic."


class TraceContext(BaseModel):
    """W3C trace context carried inside the detail (EventBridge only propagates X-Ray headers)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    traceparent: str | None = None
    tracestate: str | None = None


def new_event_id() -> str:
    return f"evt-{uuid.uuid4().hex}"


def utc_now() -> datetime:
    return datetime.now(UTC)


class EventDetail(BaseModel):
    """Base of every event detail. Subclasses set ``DETAIL_TYPE`` and ``SOURCE_SERVICE``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    DETAIL_TYPE: ClassVar[str] = ""
    SOURCE_SERVICE: ClassVar[str] = ""

    schema_version: Literal["1"] = SCHEMA_VERSION
    event_id: str = Field(default_factory=new_event_id, min_length=1, max_length=128)
    occurred_at: datetime = Field(default_factory=utc_now)
    workflow_id: str = Field(min_length=1, max_length=64)
    task_id: str | None = Field(default=None, max_length=64)
    trace: TraceContext = Field(default_factory=TraceContext)


def source_of(service: str) -> str:
    """The EventBridge ``source`` a service publishes with."""
    return f"{SOURCE_PREFIX}{service}"


class Envelope(BaseModel):
    """An event as it travels: EventBridge fields plus the parsed detail."""

    model_config = ConfigDict(frozen=True)

    source: str
    detail_type: str
    detail: EventDetail
