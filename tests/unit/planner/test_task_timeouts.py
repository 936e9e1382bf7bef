"""A task's timeout counts from when its agent starts it (``task.started``), not from its dispatch.

Time spent waiting in the agent's queue (behind other work) is not the agent's; an attempt nobody
starts still times out, after its queue-wait bound (``state.due.QUEUE_WAIT``) on top of its timeout.
Task ``a`` of the diamond template has a 30 s timeout and 2 attempts.
"""

from __future__ import annotations

from agentic_common.events.tasks import TaskStarted
from agentic_common.state import TaskStatus
from agentic_common.state.due import QUEUE_WAIT

from tests.unit.planner.conftest import Harness
from tests.unit.planner.test_engine import created, deliver, start


def started(h: Harness, wf: str, task: str = "a", attempt: int = 1) -> None:
    deliver(
        h, TaskStarted(workflow_id=wf, task_id=task, agent="codegen", attempt=attempt, occurred_at=h.clock())
    )


def test_a_task_waiting_in_its_queue_longer_than_its_timeout_is_not_timed_out(harness: Harness) -> None:
    # Given task a dispatched, still waiting in codegen's queue 31 s later (past its 30 s timeout)
    wf = start(harness)
    harness.clock.advance(31)

    # When the sweep runs
    harness.service.sweep()

    # Then attempt 1 still runs: nothing was timed out or retried
    state = harness.service.store.load(wf)
    assert state is not None
    assert (state.task("a").status, state.task("a").attempt) == (TaskStatus.RUNNING, 1)
    assert created(harness) == [("a", 1)]


def test_a_started_task_that_overruns_its_timeout_is_timed_out_and_retried(harness: Harness) -> None:
    # Given task a started by its agent after 100 s in the queue
    wf = start(harness)
    harness.clock.advance(100)
    started(harness, wf)

    # When 31 s pass after the start, and the sweep runs (and again once the retry is due)
    harness.clock.advance(31)
    harness.service.sweep()
    harness.clock.advance(5)
    harness.service.sweep()

    # Then attempt 1 was timed out with the timeout in its error, and attempt 2 dispatched
    assert created(harness) == [("a", 1), ("a", 2)]
    state = harness.service.store.load(wf)
    assert state is not None
    assert state.task("a").agent_started_at is None  # attempt 2 waits for its own start


def test_a_started_task_within_its_timeout_is_left_running(harness: Harness) -> None:
    # Given task a started after 100 s in the queue
    wf = start(harness)
    harness.clock.advance(100)
    started(harness, wf)

    # When 29 s pass and the sweep runs
    harness.clock.advance(29)
    harness.service.sweep()

    # Then attempt 1 still runs
    assert created(harness) == [("a", 1)]


def test_an_attempt_no_agent_ever_starts_times_out_after_its_queue_wait_bound(harness: Harness) -> None:
    # Given task a dispatched and never started (its message lost)
    wf = start(harness)

    # When its queue-wait bound and its timeout have passed, and the sweep runs
    harness.clock.advance(QUEUE_WAIT.total_seconds() + 31)
    harness.service.sweep()

    # Then the attempt failed for a retry, saying its agent never started it
    state = harness.service.store.load(wf)
    assert state is not None
    assert state.task("a").status == TaskStatus.READY
    assert "was not started by the codegen agent" in (state.task("a").error or "")


def test_a_start_of_an_older_attempt_changes_nothing(harness: Harness) -> None:
    # Given attempt 1 timed out unstarted and attempt 2 dispatched
    wf = start(harness)
    harness.clock.advance(QUEUE_WAIT.total_seconds() + 31)
    harness.service.sweep()
    harness.clock.advance(5)
    harness.service.sweep()

    # When attempt 1's late start arrives
    started(harness, wf, attempt=1)

    # Then attempt 2 keeps waiting for its own start
    state = harness.service.store.load(wf)
    assert state is not None
    assert (state.task("a").attempt, state.task("a").agent_started_at) == (2, None)
