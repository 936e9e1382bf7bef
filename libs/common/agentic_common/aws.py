"""boto3 clients built once per process, honouring ``AWS_ENDPOINT_URL`` (moto locally)."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import boto3
from botocore.config import Config

from agentic_common.settings import CommonSettings

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


def _call_counter(path: str) -> Any:
    """A botocore hook appending ``<service>.<operation> <process>`` per API call (benchmarks count them)."""
    label = _process_label()

    def count(model: Any, **_: Any) -> None:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{model.service_model.service_name}.{model.name} {label}\n")

    return count
