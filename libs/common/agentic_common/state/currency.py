"""Is this attempt of a task still the current one? Agents ask before every side effect.

The planner owns a task's attempts: a timed-out attempt is failed (or retried as attempt n + 1) in
the workflows state, but its ``task.created`` may still be in a queue, or being worked on by a
process that was stopped and comes back. Such a late attempt must change nothing outside (no push,
no deploy): the agent reads the task as last committed and drops an attempt that is not current.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from agentic_common.state.models import TaskRecord, TaskStatus


class TaskReader(Protocol):
    def load_task(self, workflow_id: str, task_id: str) -> TaskRecord | None:
        """The task as last committed (a consistent read), or None."""


class Currency(StrEnum):
    CURRENT = "current"
    STALE = "stale"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class AttemptVerdict:
    currency: Currency
    reason: str


def judge_attempt(
    task: TaskRecord | None, workflow_id: str, task_id: str, attempt: int, agent: str | None = None
) -> AttemptVerdict:
    """Current only while the stored task is running this very attempt (of ``agent``, when given)."""
    if task is None:
        return AttemptVerdict(
            Currency.UNKNOWN, f"workflow {workflow_id} has no task {task_id}: the planner never created it"
        )
    if agent is not None and task.agent != agent:
        return AttemptVerdict(
            Currency.UNKNOWN,
            f"task {task_id} of workflow {workflow_id} belongs to {task.agent}, not {agent}: "
            "the planner never gave it to this agent",
        )
    if task.attempt != attempt:
        return AttemptVerdict(
            Currency.STALE,
            f"attempt {attempt} of task {task_id} in workflow {workflow_id} is not current "
            f"(the planner is at attempt {task.attempt}, {task.status.value})",
        )
    if task.status != TaskStatus.RUNNING:
        return AttemptVerdict(
            Currency.STALE,
            f"attempt {attempt} of task {task_id} in workflow {workflow_id} is over: the task is "
            f"{task.status.value}" + (f" ({task.error[:200]})" if task.error else ""),
        )
    return AttemptVerdict(Currency.CURRENT, f"attempt {attempt} of task {task_id} is running")


def check_attempt(
    reader: TaskReader, workflow_id: str, task_id: str, attempt: int, agent: str | None = None
) -> AttemptVerdict:
    return judge_attempt(reader.load_task(workflow_id, task_id), workflow_id, task_id, attempt, agent)
