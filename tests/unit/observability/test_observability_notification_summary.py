"""The evidence-linked summary reaches the Slack notification (planner notifier) and the failure reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from agentic_common.agent import TaskError
from agentic_common.events.planner import WorkflowCompleted
from agentic_common.events.tasks import TaskCreated
from agentic_common.state import TaskRecord, TaskStatus, WorkflowRecord, WorkflowState
from agentic_observability.logic.verify import verify
from agentic_observability.ports import ProbeSample
from agentic_planner.logic.notifications import render_notification

NOW = datetime(2026, 11, 21, tzinfo=UTC)


class Prober:
    def __init__(self, ok: bool) -> None:
        self.ok = ok

    def probe(self, url: str, requests: int) -> list[ProbeSample]:
        return [ProbeSample(5.0, self.ok)] * requests


def test_a_verified_deployment_summary_is_in_the_slack_text(make_task: Callable[..., TaskCreated]):
    # Given the outputs of a verify task, stored in the workflow record
    outputs = verify(make_task(), Prober(ok=True)).outputs.model_dump(mode="json")
    task = TaskRecord(
        workflow_id="wf-1",
        task_id="verify",
        agent="observability",
        action="verify",
        status=TaskStatus.SUCCEEDED,
        created_at=NOW,
        updated_at=NOW,
        outputs=outputs,
    )
    workflow = WorkflowRecord(
        workflow_id="wf-1",
        template="t",
        parameters={"serviceName": "orders"},
        requested_by="dev",
        created_at=NOW,
        updated_at=NOW,
    )
    event = WorkflowCompleted(workflow_id="wf-1", summary="4 tasks succeeded", duration_seconds=42)
    # When the planner renders the notification
    note = render_notification(WorkflowState(workflow=workflow, tasks=(task,)), event)
    # Then the summary with its evidence ids is in the text
    assert outputs["summary"] in note.text
    assert "[probe:p95_latency_ms" in note.text


def test_a_failed_verification_carries_its_summary_in_the_reason(make_task: Callable[..., TaskCreated]):
    with pytest.raises(TaskError, match=r"Summary: .*\[probe:error_rate\]"):
        verify(make_task(), Prober(ok=False))
