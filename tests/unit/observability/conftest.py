"""Builders for the observability unit tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from agentic_common.events.tasks import TaskCreated

from tests.helpers import task_created

DEPLOY_OUTPUTS = {
    "deployment_id": "dep-1",
    "service_name": "orders",
    "environment": "dev",
    "version": "abc123",
    "url": "http://127.0.0.1:8081",
    "target": "local-process",
    "duration_seconds": 3.5,
}
SLO = {"p95_latency_ms": 500, "max_error_rate": 0.01, "requests": 20}


@pytest.fixture
def make_task() -> Callable[..., TaskCreated]:
    def make(
        config: dict[str, Any] | None = None, upstream: dict[str, Any] | None = None, action: str = "verify"
    ) -> TaskCreated:
        return task_created(
            "observability",
            action=action,
            parameters={"serviceName": "orders"},
            config={"slo": SLO} if config is None else config,
            upstream={"deploy": DEPLOY_OUTPUTS} if upstream is None else upstream,
        )

    return make
