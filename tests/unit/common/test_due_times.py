"""When a workflow is next due for the sweep (``state.due``): the index the sweep reads instead of
polling every workflow (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agentic_common.state import TaskRecord, TaskStatus, WorkflowRecord, WorkflowStatus
from agentic_common.state.due import OUTBOX_GRACE, QUEUE_WAIT, TIMEOUT_MARGIN, next_due, sortable

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def workflow(status: WorkflowStatus = WorkflowStatus.IN_PROGRESS, outbox: bool = False) -> WorkflowRecord:
    return WorkflowRecord(
        workflow_id="wf-1",
        status=status,
        template="t",
        parameters={},
        requested_by="dev@example.com",
        created_at=NOW,
        updated_at=NOW,
        outbox=({"detail_type": "task.created", "detail": {}},) if outbox else (),
    )


def task(task_id: str, status: TaskStatus, **fields: object) -> TaskRecord:
    return TaskRecord(
        workflow_id="wf-1",
        task_id=task_id,
        agent="codegen",
        action="generate",
        status=status,
        created_at=NOW,
        updated_at=NOW,
        **fields,  # type: ignore[arg-type]
    )


def test_a_workflow_is_due_at_the_earliest_timeout_or_retry_of_its_tasks() -> None:
    # Given a running attempt (timeout 120 s, started by its agent a minute ago) and a retry due in 10 s
    minute_ago = NOW - timedelta(seconds=60)
    running = task(
        "a", TaskStatus.RUNNING, started_at=minute_ago, agent_started_at=minute_ago, timeout_seconds=120
    )
    retry = task("b", TaskStatus.READY, not_before=NOW + timedelta(seconds=10))
    # When its due time is computed / Then it is the retry's
    assert next_due(workflow(), [running, retry], NOW) == NOW + timedelta(seconds=10)
    # and without the retry, just after the attempt's timeout
    assert next_due(workflow(), [running], NOW) == NOW + timedelta(seconds=60) + TIMEOUT_MARGIN


def test_an_attempt_its_agent_has_not_started_is_due_after_its_queue_wait_and_its_timeout() -> None:
    # Given an attempt dispatched a minute ago (timeout 120 s) that no agent has reported starting
    running = task("a", TaskStatus.RUNNING, started_at=NOW - timedelta(seconds=60), timeout_seconds=120)
    # When its due time is computed / Then its queue-wait bound comes on top of its timeout
    assert next_due(workflow(), [running], NOW) == NOW + timedelta(seconds=60) + QUEUE_WAIT + TIMEOUT_MARGIN


def test_an_unpublished_outbox_is_due_after_its_grace() -> None:
    assert next_due(workflow(outbox=True), [task("a", TaskStatus.PENDING)], NOW) == NOW + OUTBOX_GRACE


def test_a_finished_or_waiting_workflow_is_due_for_nothing() -> None:
    running = task("a", TaskStatus.RUNNING, started_at=NOW, timeout_seconds=60)
    assert next_due(workflow(WorkflowStatus.COMPLETED), [running], NOW) is None
    assert next_due(workflow(WorkflowStatus.AWAITING_APPROVAL), [task("a", TaskStatus.PENDING)], NOW) is None


def test_due_times_sort_as_text_in_time_order_even_on_a_whole_second() -> None:
    whole, later = NOW, NOW + timedelta(microseconds=1)
    assert sortable(whole) < sortable(later)
    assert sortable(whole) == "2026-12-03T12:00:00.000000Z"
