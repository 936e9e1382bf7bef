"""A Lambda invocation returns only after its spans reached the OTLP collector (Lambda freezes what is left).

The handler runs in its own process, exactly as in Lambda: telemetry is set up by the service's bootstrap
from ``OTEL_EXPORTER_OTLP_ENDPOINT`` (a real OTLP/HTTP collector on loopback), and the batch span processor
waits ten minutes between exports (``OTEL_BSP_SCHEDULE_DELAY``), so only the flush can deliver the spans
while the process is still running. The process reports when the handler has returned and then waits; the
test reads what the collector holds at that moment, then lets the process exit (which flushes the rest).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.otlp_collector import OtlpCollector, ReceivedSpan

pytestmark = pytest.mark.slow
TEN_MINUTES_MS = "600000"
INVOKE = """
import sys
from agentic_planner import handler
entry = handler.sweep_handler if sys.argv[1] == "decorated" else handler.sweep_handler.__wrapped__
entry({}, None)
print("returned", flush=True)
sys.stdin.readline()
"""


@dataclass
class Invocation:
    at_return: list[ReceivedSpan]
    after_exit: list[ReceivedSpan]


@pytest.fixture
def collector() -> Iterator[OtlpCollector]:
    server = OtlpCollector().start()
    yield server
    server.stop()


def _invoke_sweep(mode: str, collector: OtlpCollector, moto_url: str, home: Path) -> Invocation:
    env = dict(os.environ) | {
        "AGENTIC_ENV": "test",
        "AGENTIC_HOME": str(home),
        "AWS_ENDPOINT_URL": moto_url,
        "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url,
        "OTEL_BSP_SCHEDULE_DELAY": TEN_MINUTES_MS,
    }
    child = subprocess.Popen(
        [sys.executable, "-c", INVOKE, mode],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    assert child.stderr is not None
    try:
        line = child.stdout.readline()
        at_return = collector.spans
        child.stdin.write("\n")
        child.stdin.flush()
        child.wait(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert line == "returned\n", f"the handler did not return: {child.stderr.read()[-2000:]}"
    return Invocation(at_return=at_return, after_exit=collector.spans)


def test_every_span_of_an_invocation_is_exported_before_the_handler_returns(
    collector: OtlpCollector, queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path
) -> None:
    # Given the planner's scheduled sweep handler in a Lambda-like process, batching spans for ten minutes
    # When one invocation returns
    invocation = _invoke_sweep("decorated", collector, aws_settings.aws_endpoint_url, tmp_path)
    # Then the collector already holds the invocation's spans, all from the planner
    assert invocation.at_return, "no span reached the collector before the handler returned"
    assert {s.service for s in invocation.at_return} == {"agentic-planner"}
    # And nothing of the invocation was still queued: the exit flush had nothing left to send
    assert sorted(invocation.after_exit, key=lambda s: s.span_id) == sorted(
        invocation.at_return, key=lambda s: s.span_id
    )


def test_without_the_flush_the_batch_processor_still_holds_the_spans_when_the_handler_returns(
    collector: OtlpCollector, queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path
) -> None:
    # Given the same handler, called without its flushing wrapper (what the decorator exists to prevent)
    # When one invocation returns
    invocation = _invoke_sweep("undecorated", collector, aws_settings.aws_endpoint_url, tmp_path)
    # Then the collector has nothing yet: the spans were waiting for the ten-minute schedule
    assert invocation.at_return == []
    # And they arrive only when the process exits (in Lambda the environment would be frozen instead)
    assert {s.service for s in invocation.after_exit} == {"agentic-planner"}
