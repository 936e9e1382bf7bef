"""JSON log lines: the workflow context on every line written while it is handled; exceptions as fields."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from agentic_common.bus import RecordingPublisher
from agentic_common.consumer import Consumer
from agentic_common.events import Envelope, TraceContext
from agentic_common.events.tasks import TaskCreated
from agentic_common.log_context import log_context
from agentic_common.topology import default_topology
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from tests.helpers import json_log_lines, task_created


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    with json_log_lines("logs-under-test", "test-service") as stream:
        yield stream


def _written(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_written_inside_a_log_context_carries_the_workflow_and_task(lines: io.StringIO) -> None:
    # Given a workflow's context / When a line is written inside it
    with log_context(workflow_id="wf-1", task_id="codegen"):
        logging.getLogger("logs-under-test").info("rendering")
    # Then the line names the workflow (also as correlation id) and the task
    (line,) = _written(lines)
    assert (line["workflow_id"], line["correlation_id"], line["task_id"]) == ("wf-1", "wf-1", "codegen")


def test_leaving_the_context_restores_the_outer_one(lines: io.StringIO) -> None:
    # Given nested contexts / When a line is written after the inner one ends, and one after both
    log = logging.getLogger("logs-under-test")
    with log_context(workflow_id="wf-1"):
        with log_context(task_id="policy"):
            pass
        log.info("outer")
    log.info("outside")
    # Then the outer line has the workflow without the task, and the last line has neither
    outer, outside = _written(lines)
    assert outer["workflow_id"] == "wf-1"
    assert "task_id" not in outer
    assert "workflow_id" not in outside
    assert "correlation_id" not in outside


def test_a_logged_exception_is_one_json_line_with_its_stack_in_a_field(lines: io.StringIO) -> None:
    # Given an exception / When it is logged with its traceback
    try:
        raise ValueError("bad plan")
    except ValueError:
        logging.getLogger("logs-under-test").warning("could not plan", exc_info=True)
    # Then one JSON line holds the error and the stack trace
    (line,) = _written(lines)
    assert line["error"] == "ValueError: bad plan"
    assert "Traceback (most recent call last)" in line["stack"]
    assert 'raise ValueError("bad plan")' in line["stack"]


def test_secrets_in_a_stack_trace_are_masked(lines: io.StringIO) -> None:
    # Given an exception whose message holds a token / When it is logged
    try:
        raise RuntimeError("call failed: Authorization: Bearer abcdefghijklmnop")
    except RuntimeError:
        logging.getLogger("logs-under-test").exception("boom")
    # Then neither the error nor the stack shows the token
    (line,) = _written(lines)
    assert "abcdefghijklmnop" not in line["error"]
    assert "abcdefghijklmnop" not in line["stack"]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    program = (
        "from agentic_common.logs import configure_logging\nconfigure_logging('svc')\n"
        + textwrap.dedent(code)
    )
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False
    )


def test_an_uncaught_exception_ends_the_process_with_a_json_line_not_a_plain_traceback() -> None:
    # Given a process with JSON logging / When an exception escapes its main thread
    finished = _run("raise RuntimeError('shutting down badly')")
    # Then stderr holds only JSON lines, one of them with the error and its stack
    logged = [json.loads(line) for line in finished.stderr.splitlines()]
    assert finished.returncode == 1
    assert [entry["error"] for entry in logged] == ["RuntimeError: shutting down badly"]
    assert "Traceback" in logged[0]["stack"]


def test_an_exception_escaping_a_thread_is_a_json_line() -> None:
    # Given a process with JSON logging / When a thread dies of an exception
    finished = _run(
        """
        import threading
        def crash():
            raise KeyError('lost')
        t = threading.Thread(target=crash, name='beat')
        t.start(); t.join()
        """
    )
    # Then stderr holds one JSON line naming the thread, with the stack
    (logged,) = [json.loads(line) for line in finished.stderr.splitlines()]
    assert logged["message"] == "uncaught exception in thread beat"
    assert "KeyError" in logged["stack"]


def test_an_interrupt_at_shutdown_is_a_json_line() -> None:
    # Given a process with JSON logging / When Ctrl-C interrupts it
    finished = _run("raise KeyboardInterrupt")
    # Then the interruption is one JSON line, not a plain traceback
    (logged,) = [json.loads(line) for line in finished.stderr.splitlines()]
    assert logged["message"] == "interrupted"
    assert logged["error"].startswith("KeyboardInterrupt")


def _record(detail: TaskCreated) -> SQSRecord:
    body = {
        "source": "agentic.planner",
        "detail-type": detail.DETAIL_TYPE,
        "detail": detail.model_dump(mode="json"),
    }
    return SQSRecord(
        {
            "messageId": "m-1",
            "receiptHandle": "r-1",
            "body": json.dumps(body),
            "attributes": {"ApproximateReceiveCount": "1"},
            "messageAttributes": {},
        }
    )


class NoQueueOps:
    def reject(self, record: SQSRecord, reason: str) -> None:
        raise AssertionError(reason)

    def retry_later(self, record: SQSRecord, delay_seconds: int) -> None:
        raise AssertionError("no retry expected")


def test_every_line_a_consumer_handler_writes_carries_the_events_workflow_and_task(
    lines: io.StringIO,
) -> None:
    # Given a consumer whose handler logs, and a task.created event of workflow wf-7
    def handle(envelope: Envelope) -> None:
        logging.getLogger("logs-under-test").info("working on %s", envelope.detail_type)

    queue = default_topology().queues_of("codegen")[0]
    consumer = Consumer("codegen", queue, handle, RecordingPublisher(), NoQueueOps())
    task = task_created(
        "codegen", workflow_id="wf-7", trace=TraceContext(traceparent=f"00-{'ab' * 16}-{'cd' * 8}-01")
    )
    # When it processes the message, and something is logged afterwards
    consumer.process(_record(task))
    logging.getLogger("logs-under-test").info("idle")
    # Then the handler's line names the workflow, the task and the trace; the idle line names none
    handled, idle = _written(lines)
    assert (handled["workflow_id"], handled["task_id"]) == ("wf-7", "codegen")
    assert handled["trace_id"] == "ab" * 16
    assert "workflow_id" not in idle


def test_a_consumer_logs_each_event_it_handled_with_the_events_workflow() -> None:
    # Given a consumer whose handler logs nothing, and the consumer's own log captured as JSON
    queue = default_topology().queues_of("codegen")[0]
    consumer = Consumer("codegen", queue, lambda _e: None, RecordingPublisher(), NoQueueOps())
    task = task_created("codegen", workflow_id="wf-8")
    # When it processes the event
    with json_log_lines("agentic_common.consumer", "codegen") as stream:
        consumer.process(_record(task))
    # Then its log has one line saying so, carrying the workflow and the task
    (line,) = _written(stream)
    assert line["message"].startswith("handled task.created ")
    assert (line["workflow_id"], line["task_id"]) == ("wf-8", "codegen")


def test_an_http_server_request_error_is_a_json_line_not_a_plain_traceback() -> None:
    # Given a process with JSON logging serving HTTP with a handler that fails
    finished = _run(
        """
        import http.client, threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        class Failing(BaseHTTPRequestHandler):
            def do_GET(self):
                raise ValueError('handler broke')
        server = ThreadingHTTPServer(('127.0.0.1', 0), Failing)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        connection = http.client.HTTPConnection('127.0.0.1', server.server_address[1], timeout=10)
        connection.request('GET', '/')
        try:
            connection.getresponse()
        except http.client.HTTPException:
            pass
        server.shutdown()
        """
    )
    # When the request fails / Then stderr holds one JSON line with the error and its stack
    (logged,) = [json.loads(line) for line in finished.stderr.splitlines()]
    assert logged["error"] == "ValueError: handler broke"
    assert "do_GET" in logged["stack"]
