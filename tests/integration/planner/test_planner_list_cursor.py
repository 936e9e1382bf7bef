"""GET /workflows with a cursor it never handed out: 400 naming `cursor`, before any store call."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event

KEY = {"workflow_id": {"S": "wf-1"}, "task_id": {"S": "#workflow"}, "created_at": {"S": "2026-01-01"}}
CRAFTED = {
    "a JSON list": "[1]",
    "a JSON string": '"x"',
    "a number where a key belongs": '{"a": 1}',
    "an empty key": "{}",
    "a partial key": '{"workflow_id": {"S": "x"}}',
    "a key of another status": json.dumps(KEY | {"wf_status": {"S": "failed"}}),
    "a number attribute": json.dumps(KEY | {"wf_status": {"S": "in_progress"}, "task_id": {"N": "1"}}),
    "deeply nested JSON": "[" * 5000 + "]" * 5000,
}


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path) -> Planner:
    return build(
        PlannerSettings(
            agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )


def list_with(planner: Planner, cursor: str) -> tuple[int, dict[str, Any]]:
    event = api_event("GET", "/workflows", query={"status": "in_progress", "cursor": cursor})
    response = planner.handle_api(event, None)
    return response["statusCode"], json.loads(response["body"])


@pytest.mark.parametrize("raw", list(CRAFTED.values()), ids=list(CRAFTED))
def test_a_crafted_base64_cursor_is_400_naming_the_cursor(planner: Planner, raw: str) -> None:
    # Given a cursor that decodes to something this API never returned
    cursor = base64.urlsafe_b64encode(raw.encode()).decode()[:2048]

    # When it is used to list workflows
    status, body = list_with(planner, cursor)

    # Then the caller is told which parameter is wrong and what to do
    assert status == 400, body
    assert body["errors"] == [{"field": "cursor", "problem": body["errors"][0]["problem"]}]
    assert "drop it" in body["errors"][0]["problem"]


def test_a_cursor_that_is_not_base64_is_400_naming_the_cursor(planner: Planner) -> None:
    # Given / When
    status, body = list_with(planner, "%%%not-base64%%%")

    # Then
    assert status == 400
    assert body["errors"][0]["field"] == "cursor"
