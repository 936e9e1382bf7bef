"""What the scan task reads from its ``task.created``: the environment and codegen's outputs."""

from __future__ import annotations

from agentic_common.agent import TaskError
from agentic_common.events.codegen import CodegenOutputs
from agentic_common.events.tasks import TaskCreated
from pydantic import ValidationError

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
    upstream = task.upstream.get(CODEGEN_TASK)
    if upstream is None:
        raise TaskError(
            f"the policy task has no outputs of the {CODEGEN_TASK!r} task in upstream; the "
            f"workflow template must make policy depend on {CODEGEN_TASK!r}",
            retryable=False,
        )
    try:
        return CodegenOutputs.model_validate(upstream)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise TaskError(
            f"upstream[{CODEGEN_TASK!r}] is not valid codegen output ({problems})", retryable=False
        ) from exc
