"""The task claim key names the agent, the workflow, the task and the attempt, unambiguously."""

from __future__ import annotations

from agentic_common.agent import claim_key
from agentic_common.events.tasks import TaskCreated

from tests.helpers import task_created


def _task(agent: str, workflow_id: str, task_id: str, attempt: int = 1) -> TaskCreated:
    return task_created(agent, workflow_id=workflow_id, task_id=task_id, action="act", attempt=attempt)


def test_the_key_reads_agent_workflow_task_attempt() -> None:
    assert claim_key(_task("policy", "wf-1", "scan", 2)) == "task#policy#wf-1#scan#2"


def test_the_same_ids_under_two_agents_make_two_keys() -> None:
    assert claim_key(_task("policy", "wf-1", "scan")) != claim_key(_task("deployment", "wf-1", "scan"))


def test_a_separator_inside_an_id_cannot_make_two_tasks_share_a_key() -> None:
    # Given two tasks whose parts only differ in where the '#' falls
    one = _task("codegen", "wf-1#a", "b")
    other = _task("codegen", "wf-1", "a#b")

    # Then their keys differ
    assert claim_key(one) != claim_key(other)
