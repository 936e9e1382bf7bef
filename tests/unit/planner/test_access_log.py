"""The planner API writes one line per request, naming the workflow it concerns."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from agentic_planner.api.access_log import log_request

from tests.helpers import json_log_lines


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    with json_log_lines("agentic.api", "planner-api") as stream:
        yield stream


def _logged(stream: io.StringIO) -> dict[str, object]:
    (line,) = stream.getvalue().splitlines()
    return dict(json.loads(line))


def test_a_created_workflow_is_named_in_the_request_line(lines: io.StringIO) -> None:
    # Given a POST /workflows answered with a new workflow
    event = {"rawPath": "/workflows", "requestContext": {"http": {"method": "POST"}}}
    response = {"statusCode": 201, "body": json.dumps({"workflowId": "wf-new", "status": "in_progress"})}
    # When the request is logged
    log_request(event, response)
    # Then the line says what happened and carries the workflow id
    line = _logged(lines)
    assert line["message"] == "POST /workflows -> 201"
    assert line["workflow_id"] == "wf-new"


def test_a_workflow_in_the_path_is_named_even_when_it_is_not_found(lines: io.StringIO) -> None:
    # Given a GET of a workflow that does not exist (the answer names no workflow)
    event = {"rawPath": "/workflows/wf-gone", "requestContext": {"http": {"method": "GET"}}}
    # When the request is logged
    log_request(event, {"statusCode": 404, "body": '{"error": "not_found"}'})
    # Then the line carries the id from the path
    assert _logged(lines)["workflow_id"] == "wf-gone"
