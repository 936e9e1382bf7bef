"""One suite, two adapters: the in-memory fake and DynamoDB (on the local AWS) behave the same."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.state import (
    AlreadyExistsError,
    ConflictError,
    RemediationRecord,
    StateStore,
    TaskRecord,
    TaskStatus,
    WorkflowRecord,
    WorkflowStatus,
)
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.state.memory import InMemoryStateStore

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(params=["memory", "dynamodb"])
def store(request: pytest.FixtureRequest) -> StateStore:
    if request.param == "memory":
        return InMemoryStateStore()
    request.getfixturevalue("queue_urls")  # provisions the tables
    settings = request.getfixturevalue("aws_settings")
    clients = request.getfixturevalue("aws_clients")
    return DynamoDBStateStore(clients.client("dynamodb"), settings.name("workflows"))


def _workflow(offset: int = 0, status: WorkflowStatus = WorkflowStatus.IN_PROGRESS) -> WorkflowRecord:
    when = NOW + timedelta(seconds=offset)
    return WorkflowRecord(
        workflow_id=f"wf-{uuid.uuid4().hex[:12]}",
        template="t",
        parameters={"a": 1},
        requested_by="x@y.z",
        created_at=when,
        updated_at=when,
        status=status,
    )


def _task(workflow: WorkflowRecord, task_id: str) -> TaskRecord:
    return TaskRecord(
        workflow_id=workflow.workflow_id,
        task_id=task_id,
        agent="codegen",
        action="generate",
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_created_workflow_loads_with_its_tasks(store: StateStore) -> None:
    workflow = _workflow()
    store.create_workflow(workflow, [_task(workflow, "a"), _task(workflow, "b")])
    state = store.load(workflow.workflow_id)
    assert state is not None
    assert state.workflow == workflow
    assert [t.task_id for t in state.tasks] == ["a", "b"]


def test_creating_the_same_workflow_twice_fails(store: StateStore) -> None:
    workflow = _workflow()
    store.create_workflow(workflow, [])
    with pytest.raises(AlreadyExistsError):
        store.create_workflow(workflow, [])


def test_an_idempotency_key_maps_to_its_workflow_and_cannot_be_reused(store: StateStore) -> None:
    key = uuid.uuid4().hex
    first = _workflow()
    store.create_workflow(first, [], idempotency_key=key)
    assert store.workflow_for_idempotency_key(key) == first.workflow_id
    with pytest.raises(AlreadyExistsError):
        store.create_workflow(_workflow(), [], idempotency_key=key)
    assert store.workflow_for_idempotency_key("unknown") is None


def test_a_commit_with_the_next_version_wins_and_a_stale_one_conflicts(store: StateStore) -> None:
    workflow = _workflow()
    task = _task(workflow, "a")
    store.create_workflow(workflow, [task])
    store.commit([task.model_copy(update={"status": TaskStatus.RUNNING, "version": 2})])
    with pytest.raises(ConflictError):
        store.commit([task.model_copy(update={"status": TaskStatus.FAILED, "version": 2})])
    state = store.load(workflow.workflow_id)
    assert state is not None
    assert state.task("a").status == TaskStatus.RUNNING


def test_a_commit_is_all_or_nothing(store: StateStore) -> None:
    workflow = _workflow()
    task = _task(workflow, "a")
    store.create_workflow(workflow, [task])
    with pytest.raises(ConflictError):
        store.commit(
            [
                task.model_copy(update={"status": TaskStatus.RUNNING, "version": 2}),
                workflow.model_copy(update={"version": 5}),
            ]
        )
    state = store.load(workflow.workflow_id)
    assert state is not None
    assert state.task("a").status == TaskStatus.PENDING


def test_two_concurrent_writers_of_the_same_version_cannot_both_win(store: StateStore) -> None:
    workflow = _workflow()
    task = _task(workflow, "a")
    store.create_workflow(workflow, [task])
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def write(status: TaskStatus) -> None:
        barrier.wait()
        try:
            store.commit([task.model_copy(update={"status": status, "version": 2})])
            outcomes.append("won")
        except ConflictError:
            outcomes.append("lost")

    threads = [threading.Thread(target=write, args=(s,)) for s in (TaskStatus.SUCCEEDED, TaskStatus.FAILED)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost", "won"]


def test_workflows_are_listed_by_status_newest_first_across_pages(store: StateStore) -> None:
    status = WorkflowStatus.CANCELLED  # a status no other test uses, so this test sees only its own
    created = [_workflow(offset=i, status=status) for i in range(5)]
    for workflow in created:
        store.create_workflow(workflow, [])
    seen, cursor = [], None
    while True:
        page = store.list_workflows(status, limit=2, cursor=cursor)
        seen.extend(w.workflow_id for w in page.workflows)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    mine = [w for w in seen if w in {c.workflow_id for c in created}]
    assert mine == [w.workflow_id for w in reversed(created)]


def test_a_remediation_record_is_stored_once(store: StateStore) -> None:
    workflow = _workflow()
    store.create_workflow(workflow, [])
    record = RemediationRecord(
        workflow_id=workflow.workflow_id,
        recommendation_id="rec-1",
        tier="advisory",
        playbook="p",
        summary="s",
        trigger="policy.violated",
        recorded_at=NOW,
    )
    assert store.add_remediation(record) is True
    assert store.add_remediation(record) is False
    state = store.load(workflow.workflow_id)
    assert state is not None
    assert state.remediations == (record,)


def test_workflows_with_a_pending_outbox_are_found(store: StateStore) -> None:
    workflow = _workflow()
    store.create_workflow(workflow.model_copy(update={"outbox": ({"detail_type": "x", "detail": {}},)}), [])
    assert workflow.workflow_id in store.workflows_with_pending_outbox()
    state = store.load(workflow.workflow_id)
    assert state is not None
    store.commit([state.workflow.model_copy(update={"outbox": (), "version": 2})])
    assert workflow.workflow_id not in store.workflows_with_pending_outbox()


def test_a_workflow_is_due_from_its_due_time_until_it_has_none(store: StateStore) -> None:
    # Given a workflow due long before anything else the shared table holds
    due = datetime(2001, 1, 1, 0, 0, 0, 250_000, tzinfo=UTC)
    workflow = _workflow().model_copy(update={"due_at": due})
    store.create_workflow(workflow, [])
    # When the due workflows are read just before, and at, its due time
    before = store.due_workflows(due - timedelta(milliseconds=1))
    at = store.due_workflows(due)
    # Then it is listed only from its due time on, with that time; and no longer once it has none
    assert workflow.workflow_id not in dict(before)
    assert dict(at)[workflow.workflow_id] == due
    store.commit([workflow.model_copy(update={"due_at": None, "version": 2})])
    assert workflow.workflow_id not in dict(store.due_workflows(due))


def test_load_task_reads_one_task_as_last_committed(store: StateStore) -> None:
    # Given a workflow whose task was committed as running attempt 2
    workflow = _workflow()
    store.create_workflow(workflow, [_task(workflow, "a")])
    running = _task(workflow, "a").model_copy(
        update={"status": TaskStatus.RUNNING, "attempt": 2, "version": 2}
    )
    store.commit([running])

    # Then load_task reads exactly that task
    assert store.load_task(workflow.workflow_id, "a") == running


def test_load_task_finds_no_task_that_is_not_there(store: StateStore) -> None:
    workflow = _workflow()
    store.create_workflow(workflow, [_task(workflow, "a")])
    assert store.load_task(workflow.workflow_id, "b") is None
    assert store.load_task("wf-never-created", "a") is None
    assert store.load_task(workflow.workflow_id, "#workflow") is None  # the workflow item is no task
