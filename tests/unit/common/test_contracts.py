"""Event contracts: schemas in docs/events match the models; parsing gives readable reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentic_common.events import InvalidEventError, parse_eventbridge_message
from agentic_common.events.schemas import render_all
from agentic_common.events.tasks import TaskCompleted

from tests.helpers import eventbridge_body

DOCS = Path(__file__).resolve().parents[3] / "docs" / "events"


def test_generated_schemas_match_the_committed_ones() -> None:
    # Given the models / When their schemas are rendered / Then docs/events holds exactly those
    rendered = render_all()
    committed = {p.name: p.read_text() for p in DOCS.glob("*.json")}
    assert committed == rendered, "event schemas drifted: run `make schemas` and commit docs/events/"


def test_every_detail_carries_the_envelope_fields() -> None:
    for text in render_all().values():
        schema = json.loads(text)
        assert {"schema_version", "event_id", "occurred_at", "workflow_id", "task_id", "trace"} <= set(
            schema["properties"]
        )


def test_a_valid_message_parses_into_its_model() -> None:
    detail = TaskCompleted(
        workflow_id="wf-1", task_id="codegen", agent="codegen", attempt=1, outputs={"a": 1}
    )
    envelope = parse_eventbridge_message(eventbridge_body(detail, "codegen"))
    assert envelope.detail == detail
    assert envelope.source == "agentic.codegen"


@pytest.mark.parametrize(
    ("body", "reason_part"),
    [
        ("not json", "not JSON"),
        ('["a"]', "not a JSON object"),
        ('{"source": "someone.else", "detail-type": "task.completed", "detail": {}}', "not an agentic"),
        (
            '{"source": "agentic.x", "detail-type": "made.up", "detail": {"workflow_id": "wf-1"}}',
            "unknown detail-type",
        ),
        (
            '{"source": "agentic.x", "detail-type": "task.completed", "detail": {"workflow_id": "wf-1"}}',
            "task_id: Field required",
        ),
    ],
)
def test_an_invalid_message_is_refused_with_a_readable_reason(body: str, reason_part: str) -> None:
    with pytest.raises(InvalidEventError) as caught:
        parse_eventbridge_message(body)
    assert reason_part in caught.value.reason


def test_the_workflow_of_an_invalid_message_is_kept_so_it_can_be_failed() -> None:
    body = '{"source": "agentic.x", "detail-type": "task.completed", "detail": {"workflow_id": "wf-9"}}'
    with pytest.raises(InvalidEventError) as caught:
        parse_eventbridge_message(body)
    assert caught.value.workflow_id == "wf-9"
