"""What the scan task reads from its ``task.created``: the environment and codegen's outputs."""

from __future__ import annotations

from agentic_common.agent import TaskError
from agentic_common.events.codegen import CodegenOutputs
from agentic_common.events.tasks import TaskCreated
from agentic_common.upstream import upstream

CODEGEN_TASK = "codegen"


def environment_of(task: TaskCreated) -> str:
    environment = task.parameters.get("environment")
    if not isinstance(environment, str) or not environment:
        raise TaskError(
            "the task has no parameters.environment, so no enforcement level applies; "
            "set it to dev, staging or prod",
            retryable=False,
        )
    return environment


def codegen_outputs(task: TaskCreated) -> CodegenOutputs:
    return upstream(task, CODEGEN_TASK, CodegenOutputs)
