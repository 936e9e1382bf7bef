"""An attempt is current only while the planner's record runs that very attempt."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from agentic_common.state import TaskRecord, TaskStatus
from agentic_common.state.currency import Currency, judge_attempt

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _task(status: TaskStatus, attempt: int, error: str | None = None) -> TaskRecord:
    return TaskRecord(
        workflow_id="wf-1",
        task_id="codegen",
        agent="codegen",
        action="generate",
        status=status,
        attempt=attempt,
        error=error,
        created_at=NOW,
        updated_at=NOW,
    )


def test_the_attempt_the_task_is_running_is_current() -> None:
    verdict = judge_attempt(_task(TaskStatus.RUNNING, 2), "wf-1", "codegen", 2)
    assert verdict.currency is Currency.CURRENT


def test_an_earlier_attempt_is_stale_once_a_newer_one_was_dispatched() -> None:
    # Given the planner timed attempt 1 out and dispatched attempt 2
    verdict = judge_attempt(_task(TaskStatus.RUNNING, 2), "wf-1", "codegen", 1)

    # Then attempt 1 is stale, and the reason names both attempts
    assert verdict.currency is Currency.STALE
    assert "attempt 1" in verdict.reason
    assert "attempt 2" in verdict.reason


@pytest.mark.parametrize(
    "status", [TaskStatus.READY, TaskStatus.FAILED, TaskStatus.SUCCEEDED, TaskStatus.CANCELLED]
)
def test_the_same_attempt_is_stale_once_the_task_is_no_longer_running(status: TaskStatus) -> None:
    verdict = judge_attempt(_task(status, 1, error="attempt 1 timed out after 120s"), "wf-1", "codegen", 1)
    assert verdict.currency is Currency.STALE
    assert status.value in verdict.reason


def test_a_task_the_planner_never_created_is_unknown() -> None:
    verdict = judge_attempt(None, "wf-forged", "codegen", 1)
    assert verdict.currency is Currency.UNKNOWN
    assert "wf-forged" in verdict.reason


def test_a_task_the_planner_gave_to_another_agent_is_unknown_to_this_one() -> None:
    # Given the planner runs attempt 1 of task codegen, which belongs to codegen
    task = _task(TaskStatus.RUNNING, 1)

    # When the deployment agent asks about that task and attempt
    verdict = judge_attempt(task, "wf-1", "codegen", 1, agent="deployment")

    # Then it is unknown to deployment, and the reason names the owner
    assert verdict.currency is Currency.UNKNOWN
    assert "belongs to codegen, not deployment" in verdict.reason


def test_the_owning_agent_asking_about_its_running_attempt_finds_it_current() -> None:
    verdict = judge_attempt(_task(TaskStatus.RUNNING, 1), "wf-1", "codegen", 1, agent="codegen")
    assert verdict.currency is Currency.CURRENT
