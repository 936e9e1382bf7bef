"""Structured JSON logs: one JSON object per line, the workflow id as correlation id, secrets masked.

Every line carries the fields of the enclosing ``log_context`` (``workflow_id``, ``task_id``,
``trace_id``; ``correlation_id`` repeats the workflow id) and the current span's trace id. An exception
is written in the same line as ``error`` (type and message) and ``stack`` (the formatted traceback),
never as a plain traceback: uncaught exceptions of the process and of its threads, Python warnings, and
the errors the standard library's HTTP servers would print (``socketserver``'s ``handle_error``: every
server in the process, the local API gateway and the traffic proxies alike) go through the same formatter.
"""

from __future__ import annotations

import json
import logging
import socket
import socketserver
import sys
import threading
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from opentelemetry import trace

from agentic_common.log_context import current_log_context
from agentic_common.redact import redact

MAX_STACK_CHARS = 16000
NOISY_LOGGERS = ("botocore", "urllib3", "werkzeug", "httpx")


def _exception_fields(
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None],
) -> dict[str, str]:
    kind, value, tb = exc_info
    stack = "".join(traceback.format_exception(kind, value, tb))
    return {"error": redact(f"{kind.__name__}: {value}"), "stack": redact(stack, limit=MAX_STACK_CHARS)}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "message": redact(record.getMessage(), limit=8000),
        }
        context = current_log_context()
        entry.update(context)
        if "workflow_id" in context:
            entry["correlation_id"] = context["workflow_id"]
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
        if record.exc_info and record.exc_info[0] is not None and record.exc_info[1] is not None:
            entry.update(_exception_fields((record.exc_info[0], record.exc_info[1], record.exc_info[2])))
        if record.stack_info:
            entry["stack"] = redact(record.stack_info, limit=MAX_STACK_CHARS)
        return json.dumps(entry, default=str)


def _log_uncaught(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    message = "interrupted" if issubclass(kind, KeyboardInterrupt) else "uncaught exception; the process ends"
    logging.getLogger("agentic.process").critical(message, exc_info=(kind, value, tb))


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    name = args.thread.name if args.thread else "?"
    logging.getLogger("agentic.process").error(
        "uncaught exception in thread %s", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
    )


def _log_unraisable(unraisable: Any) -> None:
    value = unraisable.exc_value
    logging.getLogger("agentic.process").warning(
        "exception ignored in %r: %s",
        unraisable.object,
        unraisable.err_msg or "",
        exc_info=(unraisable.exc_type, value, unraisable.exc_traceback) if value is not None else None,
    )


def _log_request_error(
    _server: socketserver.BaseServer,
    _request: socket.socket | tuple[bytes, socket.socket],
    client_address: Any,
) -> None:
    """``socketserver.BaseServer.handle_error`` prints a plain traceback to stderr; log it as JSON instead."""
    kind, value, tb = sys.exc_info()
    server_log = logging.getLogger("agentic.http")
    if isinstance(value, (BrokenPipeError, ConnectionResetError)):
        server_log.info("client %s went away before the answer was sent", client_address)
    elif kind is not None and value is not None:
        server_log.error("request from %s failed", client_address, exc_info=(kind, value, tb))


def configure_logging(service: str, level: str = "INFO") -> None:
    """JSON lines on stderr for the whole process, including its uncaught exceptions and warnings."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_exception
    sys.unraisablehook = _log_unraisable
    socketserver.BaseServer.handle_error = _log_request_error  # type: ignore[method-assign,assignment]
