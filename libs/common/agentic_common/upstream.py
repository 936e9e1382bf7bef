"""How a task reads the outputs of a task it depends on (``TaskCreated.upstream``), in one place.

The planner puts the outputs of every task a task depends on, directly or not, under the producing
task's id. A consumer names the producer and the outputs model it expects; a missing entry or one
that does not fit the model is a ``TaskError`` that is not retried (the template or the contract is
wrong, and a retry reads the same upstream).
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from agentic_common.agent import TaskError
from agentic_common.events.tasks import TaskCreated

Outputs = TypeVar("Outputs", bound=BaseModel)
MAX_PROBLEMS = 5


def optional_upstream(task: TaskCreated, producer: str, model: type[Outputs]) -> Outputs | None:
    """The outputs of ``producer`` as ``model``; None when the task does not depend on it."""
    raw = task.upstream.get(producer)
    if raw is None:
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'outputs'}: {e['msg']}" for e in exc.errors()[:MAX_PROBLEMS]
        )
        raise TaskError(
            f"the {producer!r} task's outputs are not {model.__name__} ({problems}): the {producer!r} "
            f"agent and the {task.agent!r} agent disagree on the contract",
            retryable=False,
        ) from None


def upstream(task: TaskCreated, producer: str, model: type[Outputs]) -> Outputs:
    """The outputs of ``producer`` as ``model``; a ``TaskError`` when the task has none."""
    outputs = optional_upstream(task, producer, model)
    if outputs is None:
        has = ", ".join(sorted(task.upstream)) or "none"
        raise TaskError(
            f"the {task.task_id!r} task needs the outputs of the {producer!r} task, but its upstream has "
            f"outputs of: {has}; the workflow template must make {task.task_id!r} depend on {producer!r}",
            retryable=False,
        )
    return outputs
