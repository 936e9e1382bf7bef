"""Structured JSON logs with the workflow id as correlation id, secrets masked."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime

from opentelemetry import trace

from agentic_common.redact import redact

workflow_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("workflow_id", default=None)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "message": redact(record.getMessage(), limit=8000),
        }
        workflow_id = workflow_id_var.get()
        if workflow_id:
            entry["correlation_id"] = workflow_id
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
        if record.exc_info and record.levelno >= logging.ERROR:
            entry["error"] = redact(
                f"{record.exc_info[0].__name__ if record.exc_info[0] else ''}: {record.exc_info[1]}"
            )
        return json.dumps(entry)


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("botocore", "urllib3", "werkzeug", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
