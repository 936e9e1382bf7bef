"""The engine holds a task whose template config requires an approval, and starts it once approved."""

from __future__ import annotations

from datetime import UTC, datetime

from agentic_common.events.tasks import TaskCreated
from agentic_common.state import TaskStatus, WorkflowStatus
from agentic_common.state.memory import InMemoryStateStore
from agentic_planner.logic.catalogue_models import Template
from agentic_planner.logic.engine import Engine
from agentic_planner.logic.planning import plan

NOW = datetime(2026, 1, 1, tzinfo=UTC)
GATED = Template.model_validate(
    {
        "name": "gated",
        "version": "1",
        "title": "t",
        "description": "d",
        "parameters": {"type": "object"},
        "tasks": [
            {
                "id": "deploy",
                "agent": "deployment",
                "action": "deploy",
                "config": {"approval": {"environments": ["prod"]}},
            }
        ],
    }
)


def engine_for(environment: str) -> Engine:
    workflow, tasks = plan(GATED, {"environment": environment}, "dev@example.com", NOW, "wf-1")
    store = InMemoryStateStore()
    store.create_workflow(workflow, tasks)
    state = store.load("wf-1")
    assert state is not None
    return Engine(state, GATED, NOW)


def test_a_prod_workflow_waits_for_approval_without_dispatching() -> None:
    engine = engine_for("prod")
    engine.dispatch_ready()
    assert engine.workflow.status == WorkflowStatus.AWAITING_APPROVAL
    assert engine.tasks["deploy"].status == TaskStatus.PENDING
    assert engine.out.events == []
    engine.dispatch_ready()  # the sweeper or a stray event changes nothing while it waits
    assert engine.tasks["deploy"].status == TaskStatus.PENDING


def test_approving_starts_the_waiting_task() -> None:
    engine = engine_for("prod")
    engine.dispatch_ready()
    engine.approve()
    assert engine.workflow.status == WorkflowStatus.IN_PROGRESS
    assert engine.tasks["deploy"].status == TaskStatus.RUNNING
    assert [type(e) for e in engine.out.events] == [TaskCreated]


def test_rejecting_fails_the_workflow_with_the_reason() -> None:
    engine = engine_for("prod")
    engine.dispatch_ready()
    engine.abort("deployment rejected by lead@example.com: freeze")
    assert engine.workflow.status == WorkflowStatus.FAILED
    assert engine.tasks["deploy"].status == TaskStatus.CANCELLED


def test_a_dev_workflow_is_dispatched_at_once() -> None:
    engine = engine_for("dev")
    engine.dispatch_ready()
    assert engine.workflow.status == WorkflowStatus.IN_PROGRESS
    assert engine.tasks["deploy"].status == TaskStatus.RUNNING
