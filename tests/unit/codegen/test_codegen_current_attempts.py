"""Only the current attempt of a codegen task changes anything: late ones are dropped, forged ones refused."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from agentic_codegen.logic.attempts import UnknownTaskError
from agentic_codegen.logic.generate import CodegenPorts, make_work
from agentic_codegen.logic.parameters import ServiceParameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_codegen.ports import Renderer
from agentic_common.agent import TaskAgent, claim_key
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope
from agentic_common.events.tasks import TaskCreated
from agentic_common.idempotency import InMemoryClaimStore
from agentic_common.state import TaskStatus
from agentic_common.state.memory import InMemoryStateStore

from tests.helpers import dispatched, task_created
from tests.unit.codegen.test_codegen_generate import CleanScanner, FakeGitHost

WORKFLOW = "wf-late"


def _task(attempt: int = 1) -> TaskCreated:
    return task_created(
        "codegen",
        workflow_id=WORKFLOW,
        attempt=attempt,
        timeout_seconds=120,
        parameters={"serviceName": "orders", "language": "python"},
    )


def _envelope(task: TaskCreated) -> Envelope:
    return Envelope(source="agentic.planner", detail_type="task.created", detail=task)


def time_out(store: InMemoryStateStore, status: TaskStatus = TaskStatus.FAILED) -> None:
    """What the planner's sweep commits when an attempt exceeds its timeout."""
    task = store.load_task(WORKFLOW, "codegen")
    assert task is not None
    store.commit([task.model_copy(update={"status": status, "version": task.version + 1})])


@dataclass
class PlannerMovesOnWhileRendering:
    """Renders for real, but the planner times the attempt out meanwhile (a slow render, a long stop)."""

    store: InMemoryStateStore
    calls: list[str] = field(default_factory=list)

    def render(self, params: ServiceParameters) -> dict[str, bytes]:
        self.calls.append(params.service_name)
        time_out(self.store)
        return TemplateRenderer().render(params)


@dataclass
class Codegen:
    store: InMemoryStateStore
    ports: CodegenPorts
    publisher: RecordingPublisher
    claims: InMemoryClaimStore

    def handle(self, task: TaskCreated) -> None:
        agent = TaskAgent("codegen", make_work(self.ports), self.publisher, self.claims, tasks=self.store)
        agent.handle(_envelope(task))

    @property
    def git(self) -> FakeGitHost:
        assert isinstance(self.ports.git, FakeGitHost)
        return self.ports.git

    @property
    def artifacts(self) -> InMemoryArtifactStore:
        assert isinstance(self.ports.artifacts, InMemoryArtifactStore)
        return self.ports.artifacts


def _codegen(store: InMemoryStateStore, renderer: Renderer | None = None) -> Codegen:
    ports = CodegenPorts(
        renderer=renderer or TemplateRenderer(),
        artifacts=InMemoryArtifactStore("artifacts"),
        git=FakeGitHost(),
        scanner=CleanScanner(),
        tasks=store,
    )
    return Codegen(store, ports, RecordingPublisher(), InMemoryClaimStore())


def test_the_current_attempt_pushes_and_reports() -> None:
    # Given the planner runs attempt 1
    store = InMemoryStateStore()
    dispatched(store, WORKFLOW)
    codegen = _codegen(store)

    # When attempt 1 arrives
    codegen.handle(_task(1))

    # Then it pushes and reports its result
    assert len(codegen.git.published) == 1
    assert [e.DETAIL_TYPE for e in codegen.publisher.published] == ["codegen.completed", "task.completed"]


def test_an_attempt_the_planner_timed_out_is_dropped_on_arrival_without_any_side_effect() -> None:
    # Given the planner timed attempt 1 out (its message comes back after a crash)
    store = InMemoryStateStore()
    dispatched(store, WORKFLOW)
    time_out(store)
    codegen = _codegen(store)

    # When attempt 1 is delivered again
    codegen.handle(_task(1))

    # Then it is acknowledged (no error), and nothing was pushed, stored, claimed or reported
    assert codegen.git.published == []
    assert codegen.artifacts.objects == {}
    assert codegen.publisher.published == []
    assert codegen.claims.claim(claim_key(_task(1)), lease_seconds=60)  # never taken


def test_an_older_attempt_is_dropped_once_the_planner_dispatched_a_newer_one() -> None:
    # Given the planner runs attempt 2
    store = InMemoryStateStore()
    dispatched(store, WORKFLOW, attempt=2)
    codegen = _codegen(store)

    # When attempt 1 arrives late
    codegen.handle(_task(1))

    # Then it changes nothing
    assert codegen.git.published == []
    assert codegen.publisher.published == []


def test_an_attempt_timed_out_while_it_rendered_pushes_nothing() -> None:
    # Given attempt 1 is current when it arrives, but the planner times it out while it renders
    store = InMemoryStateStore()
    dispatched(store, WORKFLOW)
    renderer = PlannerMovesOnWhileRendering(store)
    codegen = _codegen(store, renderer)

    # When attempt 1 is handled
    codegen.handle(_task(1))

    # Then it did the work but, checked again before the first side effect, stored and pushed nothing
    assert renderer.calls == ["orders"]
    assert codegen.artifacts.objects == {}
    assert codegen.git.published == []
    assert codegen.publisher.published == []
    # And its claim is released, so a redelivery is judged again (and dropped again)
    assert codegen.claims.claim(claim_key(_task(1)), lease_seconds=60)


def test_a_task_of_a_workflow_the_planner_never_created_is_refused_with_the_reason() -> None:
    # Given no workflow wf-late exists (a forged or misrouted task)
    codegen = _codegen(InMemoryStateStore())

    # When its task arrives, then it fails with a reason the dead letter will carry, and nothing is pushed
    with pytest.raises(UnknownTaskError, match="wf-late has no task codegen"):
        codegen.handle(_task(1))
    assert codegen.git.published == []
