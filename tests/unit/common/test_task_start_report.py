"""A task agent reports ``task.started`` once it holds the attempt's claim, before it works on it."""

from __future__ import annotations

from agentic_common.agent import TaskAgent, WorkResult
from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope, EventDetail
from agentic_common.events.tasks import TaskCreated, TaskStarted
from agentic_common.idempotency import InMemoryClaimStore
from pydantic import BaseModel

from tests.helpers import planner_state, task_created


class Done(BaseModel):
    ok: bool = True


class BrokenBus:
    def publish(self, *details: EventDetail) -> None:
        raise ConnectionError("the bus is unreachable")


def envelope(task: TaskCreated) -> Envelope:
    return Envelope(source="agentic.planner", detail_type=task.DETAIL_TYPE, detail=task)


def test_the_start_is_reported_before_the_work_runs() -> None:
    # Given a codegen agent whose work notes what was reported when it began
    starts, results = RecordingPublisher(), RecordingPublisher()
    reported_when_working: list[list[str]] = []

    def work(task: TaskCreated) -> WorkResult:
        reported_when_working.append([e.DETAIL_TYPE for e in starts.published])
        return WorkResult(outputs=Done())

    agent = TaskAgent(
        "codegen", work, results, InMemoryClaimStore(), tasks=planner_state("wf-s"), starts=starts
    )

    # When it handles attempt 1 of the workflow's codegen task
    agent.handle(envelope(task_created("codegen", workflow_id="wf-s")))

    # Then task.started (of that attempt) was out before the work began, and the result came after
    assert reported_when_working == [["task.started"]]
    [started] = starts.published
    assert isinstance(started, TaskStarted)
    assert (started.workflow_id, started.task_id, started.agent, started.attempt) == (
        "wf-s",
        "codegen",
        "codegen",
        1,
    )
    assert [e.DETAIL_TYPE for e in results.published] == ["task.completed"]


def test_a_duplicate_delivery_reports_no_second_start() -> None:
    # Given an agent that already handled attempt 1
    starts = RecordingPublisher()
    agent = TaskAgent(
        "codegen",
        lambda _t: WorkResult(outputs=Done()),
        RecordingPublisher(),
        InMemoryClaimStore(),
        tasks=planner_state("wf-d"),
        starts=starts,
    )
    agent.handle(envelope(task_created("codegen", workflow_id="wf-d")))

    # When the same attempt is delivered again
    agent.handle(envelope(task_created("codegen", workflow_id="wf-d")))

    # Then one start was reported
    assert len(starts.published) == 1


def test_an_unreachable_bus_for_the_start_does_not_stop_the_work() -> None:
    # Given an agent whose start report cannot be published
    results, ran = RecordingPublisher(), []

    def work(task: TaskCreated) -> WorkResult:
        ran.append(task.task_id)
        return WorkResult(outputs=Done())

    agent = TaskAgent(
        "codegen", work, results, InMemoryClaimStore(), tasks=planner_state("wf-b"), starts=BrokenBus()
    )

    # When it handles the attempt
    agent.handle(envelope(task_created("codegen", workflow_id="wf-b")))

    # Then the work ran and its result was reported (the attempt keeps its queue-wait bound)
    assert ran == ["codegen"]
    assert [e.DETAIL_TYPE for e in results.published] == ["task.completed"]
