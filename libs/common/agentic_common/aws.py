"""boto3 clients built once per process, honouring ``AWS_ENDPOINT_URL`` (moto locally)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import boto3
from botocore.config import Config

from agentic_common.settings import CommonSettings

# who the calls made in this context stand for, besides our own code (the call log's third field)
_CALLS_MADE_FOR: ContextVar[str] = ContextVar("agentic_aws_calls_made_for", default="")
EVENT_SOURCE_MAPPING = "event-source-mapping"  # Lambda's SQS poller: in AWS, Lambda makes these calls
EVENTBRIDGE_PIPE = "eventbridge-pipe"  # a pipe between two queues: in AWS, EventBridge Pipes makes them

_CONFIG = Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30)


class AwsClients:
    def __init__(self, settings: CommonSettings) -> None:
        self._session = boto3.session.Session(region_name=settings.aws_region)
        self._endpoint = settings.aws_endpoint_url
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()  # a boto3 session is not thread-safe; its clients are

    def client(self, service: str) -> Any:
        if service in self._cache:
            return self._cache[service]
        with self._lock:
            return self._build(service)

    def _build(self, service: str) -> Any:
        if service not in self._cache:
            client = self._session.client(
                service,
                endpoint_url=self._endpoint,
                config=_CONFIG,  # type: ignore[call-overload]
            )
            if call_log := os.environ.get("AGENTIC_AWS_CALL_LOG"):
                client.meta.events.register("before-call", _call_counter(call_log))
            self._cache[service] = client
        return self._cache[service]


def _process_label() -> str:
    """The process making the calls: a named child process (the local gateway's API environments), else
    the argument of ``python -m agentic_local.serve <name>``, else the program."""
    process = sys.modules.get("multiprocessing")
    name = process.current_process().name if process is not None else "MainProcess"
    if name != "MainProcess":
        return name
    return os.path.basename(sys.argv[-1] if len(sys.argv) > 1 else sys.argv[0]) or "python"


@contextmanager
def calls_made_for(origin: str) -> Iterator[None]:
    """The AWS calls made in this block (this thread) are made for ``origin``, not by the platform's
    code: the local Lambda runner polls and deletes as Lambda's event source mapping does in AWS. The
    call log marks them, so a count of the platform's own calls can leave them out, and list them."""
    token = _CALLS_MADE_FOR.set(origin)
    try:
        yield
    finally:
        _CALLS_MADE_FOR.reset(token)


def _call_counter(path: str) -> Any:
    """A botocore hook appending ``<service>.<operation> <process>`` per API call, and `` <origin>``
    for calls made in a ``calls_made_for`` block (benchmarks count them)."""
    label = _process_label()

    def count(model: Any, **_: Any) -> None:
        origin = _CALLS_MADE_FOR.get()
        line = f"{model.service_model.service_name}.{model.name} {label}"
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{line} {origin}\n" if origin else f"{line}\n")

    return count
