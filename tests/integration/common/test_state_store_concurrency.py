"""Many writers, one local AWS: no conditional transactional commit of the state store is ever lost.

Each writer loads a workflow, adds its own stamp to the workflow's ``links`` (the record's history)
and commits the workflow with one of its tasks in one conditional transaction, as the planner does.
Writers share some workflows, so many commits lose the race and are cancelled, while others win.
Every stamp whose commit succeeded must be in the final record: a commit that was accepted and
later undone (moto 5.2.5 restores the whole table from a copy when a transaction is cancelled)
would be missing from it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from agentic_common.aws import AwsClients
from agentic_common.settings import CommonSettings
from agentic_common.state import ConflictError, TaskRecord, WorkflowRecord
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.topology import default_topology
from agentic_local.moto_server import MOTO_CREDENTIALS, MotoServer
from agentic_local.provision import provision

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SHARED_WORKFLOWS = 4  # contended: writers race on these, so many commits are cancelled
WRITERS = 12
COMMITS_PER_WRITER = 30
FILLER_WORKFLOWS = 40  # a bigger table makes moto's table copy (and its window) longer


@dataclass
class Outcome:
    """What one writer saw: the stamps of its successful commits (by workflow) and its lost races."""

    committed: list[tuple[str, str]] = field(default_factory=list)
    conflicts: int = 0


@pytest.fixture(scope="module")
def store_factory() -> Iterator[tuple[CommonSettings, str]]:
    server = MotoServer().start()  # the project's launcher, as `make up` starts it
    patch = pytest.MonkeyPatch()
    for name, value in MOTO_CREDENTIALS.items():
        patch.setenv(name, value)
    settings = CommonSettings(agentic_env="concurrency", aws_endpoint_url=server.url)
    only_workflows = default_topology().model_copy(
        update={
            "queues": (),
            "rules": (),
            "buckets": (),
            "tables": (default_topology().tables[0],),
        }
    )
    provision(only_workflows, settings, AwsClients(settings))
    yield settings, settings.name("workflows")
    patch.undo()
    server.stop()


def _store(settings: CommonSettings, table: str) -> DynamoDBStateStore:
    return DynamoDBStateStore(AwsClients(settings).client("dynamodb"), table)


def _create(store: DynamoDBStateStore, workflow_id: str) -> None:
    workflow = WorkflowRecord(
        workflow_id=workflow_id,
        template="t",
        parameters={},
        requested_by="writer@agentic.local",
        created_at=NOW,
        updated_at=NOW,
    )
    task = TaskRecord(
        workflow_id=workflow_id,
        task_id="work",
        agent="codegen",
        action="generate",
        created_at=NOW,
        updated_at=NOW,
    )
    store.create_workflow(workflow, [task])


def _writer(store: DynamoDBStateStore, workflow_ids: list[str], name: str) -> Outcome:
    outcome = Outcome()
    for n in range(COMMITS_PER_WRITER):
        workflow_id = workflow_ids[n % len(workflow_ids)]
        state = store.load(workflow_id)
        assert state is not None
        stamp = f"{name}-{n}"
        workflow = state.workflow.model_copy(
            update={"links": {**state.workflow.links, stamp: name}, "version": state.workflow.version + 1}
        )
        task = state.task("work")
        task = task.model_copy(update={"attempt": task.attempt + 1, "version": task.version + 1})
        try:
            store.commit([workflow, task])
        except ConflictError:
            outcome.conflicts += 1
            continue
        outcome.committed.append((workflow_id, stamp))
    return outcome


def _links(store: DynamoDBStateStore, workflow_id: str) -> dict[str, str]:
    state = store.load(workflow_id)
    assert state is not None
    return state.workflow.links


def test_every_successful_conditional_commit_is_found_after_many_concurrent_writers(
    store_factory: tuple[CommonSettings, str],
) -> None:
    # Given a table with filler workflows, some shared workflows and one private workflow per writer
    settings, table = store_factory
    setup = _store(settings, table)
    for _ in range(FILLER_WORKFLOWS):
        _create(setup, f"filler-{uuid.uuid4().hex[:12]}")
    shared = [f"shared-{uuid.uuid4().hex[:12]}" for _ in range(SHARED_WORKFLOWS)]
    private = [f"private-{uuid.uuid4().hex[:12]}" for _ in range(WRITERS)]
    for workflow_id in shared + private:
        _create(setup, workflow_id)

    # When every writer commits concurrently, half of them on contended workflows
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [
            pool.submit(_writer, _store(settings, table), shared if i % 2 == 0 else [private[i]], f"w{i}")
            for i in range(WRITERS)
        ]
        outcomes = [future.result() for future in futures]

    # Then every stamp of a successful commit is in its workflow's final record
    assert sum(o.conflicts for o in outcomes) > 0, "the shared workflows never conflicted: no race was run"
    committed = [entry for outcome in outcomes for entry in outcome.committed]
    final_links = {workflow_id: _links(setup, workflow_id) for workflow_id in shared + private}
    lost = [(workflow_id, stamp) for workflow_id, stamp in committed if stamp not in final_links[workflow_id]]
    assert not lost, f"{len(lost)} of {len(committed)} committed writes were lost: {lost}"
