"""What the current request or event is about, for every log line written while it is handled.

A consumer, an agent or an API handler enters ``log_context(workflow_id=..., task_id=...)`` when it
starts on a message or request; the JSON formatter adds those fields to each line written inside, in
this thread or task, and leaving the block restores what was there before (nested blocks add fields).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

FIELDS = ("workflow_id", "task_id", "trace_id")
_EMPTY: Mapping[str, str] = MappingProxyType({})
_current: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "agentic_log_context", default=_EMPTY
)


def current_log_context() -> Mapping[str, str]:
    """The fields set by the enclosing ``log_context`` blocks (empty outside any)."""
    return _current.get()


@contextmanager
def log_context(
    workflow_id: str | None = None, task_id: str | None = None, trace_id: str | None = None
) -> Iterator[None]:
    """Add the given (non-empty) fields to every log line written inside the block."""
    given = {"workflow_id": workflow_id, "task_id": task_id, "trace_id": trace_id}
    added = {name: value for name, value in given.items() if value}
    token = _current.set(MappingProxyType({**_current.get(), **added}))
    try:
        yield
    finally:
        _current.reset(token)


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id of a W3C ``traceparent`` (``00-<trace id>-<span id>-<flags>``), None if malformed."""
    parts = (traceparent or "").split("-")
    valid = len(parts) == 4 and len(parts[1]) == 32 and parts[1] != "0" * 32
    return parts[1] if valid else None
