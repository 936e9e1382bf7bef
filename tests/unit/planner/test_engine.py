"""The workflow engine: dispatch, results, retries, timeouts, failure propagation, duplicates."""

from __future__ import annotations

import contextlib

from agentic_common.events import Envelope, EventDetail
from agentic_common.events.delivery import MessageDeadLettered
from agentic_common.events.tasks import TaskCompleted, TaskCreated, TaskFailed, TaskStarted
from agentic_common.state import TaskStatus, WorkflowStatus
from agentic_planner.logic.create import CreateRequest, create_workflow
from agentic_planner.logic.service_names import order_key

from tests.unit.planner.conftest import Harness


def start(h: Harness) -> str:
    request = CreateRequest(
        requested_by="dev@x.io", template="diamond", parameters={"serviceName": "svc", "environment": "dev"}
    )
    return create_workflow(h.service, request, {"n": 1}).state.workflow.workflow_id


def deliver(h: Harness, detail: EventDetail) -> None:
    h.events.handle(Envelope(source="agentic.test", detail_type=detail.DETAIL_TYPE, detail=detail))


def done(wf: str, task: str, attempt: int = 1, **outputs: object) -> TaskCompleted:
    return TaskCompleted(
        workflow_id=wf, task_id=task, agent="codegen", attempt=attempt, outputs=dict(outputs)
    )


def created(h: Harness) -> list[tuple[str, int]]:
    return [(e.task_id, e.attempt) for e in h.publisher.published if isinstance(e, TaskCreated)]


def statuses(h: Harness, wf: str) -> dict[str, str]:
    state = h.service.store.load(wf)
    assert state is not None
    return {t.task_id: t.status.value for t in state.tasks} | {"workflow": state.workflow.status.value}


def test_only_tasks_without_dependencies_start_first(harness: Harness) -> None:
    start(harness)
    assert created(harness) == [("a", 1)]
    assert [e.DETAIL_TYPE for e in harness.publisher.published] == ["workflow.created", "task.created"]


def test_independent_tasks_are_dispatched_together_with_upstream_outputs(harness: Harness) -> None:
    wf = start(harness)
    deliver(harness, done(wf, "a", repo_url="file:///r"))
    assert created(harness) == [("a", 1), ("b", 1), ("c", 1)]
    b = next(e for e in harness.publisher.published if isinstance(e, TaskCreated) and e.task_id == "b")
    assert b.upstream == {"a": {"repo_url": "file:///r"}}


def test_a_join_waits_for_every_dependency_and_passes_all_ancestors(harness: Harness) -> None:
    wf = start(harness)
    deliver(harness, done(wf, "a", x=1))
    deliver(harness, done(wf, "b"))
    assert ("d", 1) not in created(harness)
    deliver(harness, done(wf, "c"))
    d = next(e for e in harness.publisher.published if isinstance(e, TaskCreated) and e.task_id == "d")
    assert set(d.upstream) == {"a", "b", "c"}


def test_a_duplicate_completion_changes_nothing(harness: Harness) -> None:
    wf = start(harness)
    deliver(harness, done(wf, "a"))
    before = harness.service.store.load(wf)
    published = len(harness.publisher.published)
    deliver(harness, done(wf, "a"))
    assert harness.service.store.load(wf) == before
    assert len(harness.publisher.published) == published


def test_all_tasks_succeeding_completes_the_workflow_and_notifies_once(harness: Harness) -> None:
    wf = start(harness)
    for task in ("a", "b", "c", "d"):
        deliver(harness, done(wf, task, url="http://127.0.0.1:9/") if task == "d" else done(wf, task))
    assert statuses(harness, wf)["workflow"] == "completed"
    completed = harness.publisher.of_type("workflow.completed")
    assert len(completed) == 1
    assert completed[0].links == {"service": "http://127.0.0.1:9/"}
    deliver(harness, completed[0])
    deliver(harness, completed[0])
    assert len(harness.notifier.sent) == 1
    assert harness.notifier.sent[0].status == "completed"


def test_a_retryable_failure_is_retried_after_backoff(harness: Harness) -> None:
    wf = start(harness)
    deliver(
        harness,
        TaskFailed(workflow_id=wf, task_id="a", agent="codegen", attempt=1, error="flaky", retryable=True),
    )
    assert statuses(harness, wf)["a"] == "ready"
    harness.service.sweep()
    assert created(harness) == [("a", 1)]  # backoff not over yet
    harness.clock.advance(5)
    harness.service.sweep()
    assert created(harness) == [("a", 1), ("a", 2)]


def test_a_final_failure_skips_dependents_and_fails_the_workflow_with_the_reason(harness: Harness) -> None:
    wf = start(harness)
    deliver(harness, done(wf, "a"))
    deliver(
        harness,
        TaskFailed(
            workflow_id=wf,
            task_id="b",
            agent="policy",
            attempt=1,
            error="DOCKER-001 base image not pinned",
            retryable=False,
        ),
    )
    deliver(harness, done(wf, "c"))
    result = statuses(harness, wf)
    assert result == {"a": "succeeded", "b": "failed", "c": "succeeded", "d": "skipped", "workflow": "failed"}
    failed = harness.publisher.of_type("workflow.failed")[0]
    assert "task b (policy) failed: DOCKER-001 base image not pinned" in failed.reason
    assert "Skipped: d" in failed.reason


def agent_started(h: Harness, wf: str, attempt: int) -> None:
    deliver(
        h, TaskStarted(workflow_id=wf, task_id="a", agent="codegen", attempt=attempt, occurred_at=h.clock())
    )


def test_a_stuck_attempt_times_out_and_is_retried_then_failed(harness: Harness) -> None:
    wf = start(harness)
    agent_started(harness, wf, 1)
    harness.clock.advance(31)
    harness.service.sweep()
    harness.clock.advance(5)
    harness.service.sweep()
    assert created(harness) == [("a", 1), ("a", 2)]
    agent_started(harness, wf, 2)
    harness.clock.advance(31)
    harness.service.sweep()
    state = harness.service.store.load(wf)
    assert state is not None
    assert state.task("a").status == TaskStatus.FAILED
    assert "timed out after 30s" in (state.workflow.reason or "")


def test_a_result_for_an_old_attempt_is_ignored(harness: Harness) -> None:
    wf = start(harness)
    agent_started(harness, wf, 1)
    harness.clock.advance(31)
    harness.service.sweep()
    harness.clock.advance(5)
    harness.service.sweep()
    deliver(harness, done(wf, "a", attempt=1))
    assert statuses(harness, wf)["a"] == "running"


def test_a_dead_lettered_task_message_fails_that_task(harness: Harness) -> None:
    wf = start(harness)
    deliver(
        harness,
        MessageDeadLettered(
            workflow_id=wf,
            task_id="a",
            queue="codegen-tasks",
            original_detail_type="task.created",
            receive_count=3,
            reason="codegen could not process it: boom",
        ),
    )
    state = harness.service.store.load(wf)
    assert state is not None
    assert state.workflow.status == WorkflowStatus.FAILED
    assert "codegen could not process it: boom" in (state.workflow.reason or "")


def test_a_dead_lettered_message_without_task_fails_the_workflow(harness: Harness) -> None:
    wf = start(harness)
    deliver(
        harness,
        MessageDeadLettered(
            workflow_id=wf,
            queue="policy-tasks",
            original_detail_type="made.up",
            receive_count=1,
            reason="rejected: unknown detail-type",
        ),
    )
    assert statuses(harness, wf) == {
        "a": "cancelled",
        "b": "cancelled",
        "c": "cancelled",
        "d": "cancelled",
        "workflow": "failed",
    }


class BrokenPublisher:
    def publish(self, *details: EventDetail) -> None:
        raise ConnectionError("bus unreachable")


def test_events_survive_a_publish_failure_in_the_outbox(harness: Harness) -> None:
    wf = start(harness)
    real = harness.service.publisher
    harness.service.publisher = BrokenPublisher()
    with contextlib.suppress(ConnectionError):
        deliver(harness, done(wf, "a"))
    state = harness.service.store.load(wf)
    assert state is not None
    assert state.task("a").status == TaskStatus.SUCCEEDED
    assert len(state.workflow.outbox) == 2  # task.created for b and c, committed with the state
    harness.service.publisher = real
    assert harness.service.flush_pending() == 1
    assert ("b", 1) in created(harness)
    assert ("c", 1) in created(harness)


def test_losing_the_outbox_flush_race_after_a_commit_is_not_an_error(harness: Harness) -> None:
    # Given a committed transition whose outbox another writer (the sweep) flushes at the same moment
    wf = start(harness)
    store = harness.service.store
    real_commit = store.commit
    commits = {"n": 0}

    def commit_then_lose_the_flush(records):  # type: ignore[no-untyped-def]
        commits["n"] += 1
        if commits["n"] == 2:  # the flush that follows the transition's own commit
            from agentic_common.state import ConflictError  # noqa: PLC0415

            raise ConflictError("another writer flushed first")
        return real_commit(records)

    store.commit = commit_then_lose_the_flush  # type: ignore[method-assign]
    # When a task completes
    state = harness.service.apply(wf, lambda engine: engine.complete("a", 1, {"repo_url": "file:///r"}))
    # Then the transition stands and the caller gets the workflow, not an error
    assert state is not None
    assert statuses(harness, wf)["a"] == "succeeded"


def test_a_task_carries_its_service_as_the_key_its_agent_orders_by(harness: Harness) -> None:
    # Given a workflow for the service "orders api" (a name a FIFO message group cannot take as it is)
    parameters = {"serviceName": "orders api", "environment": "dev"}
    request = CreateRequest(requested_by="dev@x.io", template="diamond", parameters=parameters)
    create_workflow(harness.service, request, parameters)
    # Then its task carries the service as its order key, fitted to a group id: the same name, the same key
    [task] = [e for e in harness.publisher.published if isinstance(e, TaskCreated)]
    assert task.order_key == "orders_api"


def test_the_order_key_is_the_named_service_or_else_the_workflow() -> None:
    assert order_key({"service": "orders", "version": "1.2.0"}, "wf-1") == "orders"  # a deploy
    assert order_key({"environment": "dev"}, "wf-1") == "wf-1"
    assert order_key({"serviceName": "é" * 200}, "wf-1") == "_" * 128
