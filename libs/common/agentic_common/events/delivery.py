"""Delivery events: a consumer reports a message it gave up on (it is in the queue's DLQ)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from agentic_common.events.envelope import EventDetail


class MessageDeadLettered(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "message.dead_lettered"
    SOURCE_SERVICE: ClassVar[str] = "*"  # any consuming service

    queue: str
    original_detail_type: str
    original_event_id: str | None = None
    receive_count: int = Field(ge=1)
    reason: str = Field(min_length=1, max_length=2000)
