"""Task lifecycle events: ``task.created`` (planner), ``task.started`` and the results every agent reports."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from agentic_common.events.envelope import EventDetail

AgentName = Literal["codegen", "policy", "deployment", "observability", "remediation"]


class TaskCreated(EventDetail):
    """The planner asks one agent to run one task (one attempt)."""

    DETAIL_TYPE: ClassVar[str] = "task.created"
    SOURCE_SERVICE: ClassVar[str] = "planner"

    task_id: str = Field(min_length=1, max_length=64)
    agent: AgentName
    action: str = Field(min_length=1, max_length=64)
    attempt: int = Field(ge=1)
    timeout_seconds: int = Field(ge=1)
    template: str
    parameters: dict[str, Any] = Field(description="The workflow's validated template parameters.")
    config: dict[str, Any] = Field(
        default_factory=dict, description="Task settings the template declares (e.g. the SLO to verify)."
    )
    upstream: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Outputs of the tasks this one depends on, by task id."
    )
    order_key: str = Field(
        default="",
        max_length=128,
        pattern=r"^[!-~]*$",
        description="Tasks with the same key run one at a time, in the order they were created, where the "
        "agent's queue is ordered (codegen's: by service name). Defaults to the workflow id.",
    )

    @model_validator(mode="after")
    def _order_key_defaults_to_the_workflow(self) -> TaskCreated:
        if not self.order_key:
            object.__setattr__(self, "order_key", self.workflow_id)
        return self


class TaskStarted(EventDetail):
    """An agent began an attempt (it holds the attempt's claim): the attempt's timeout counts from here,
    not from its dispatch, so time spent waiting in the agent's queue is not the agent's."""

    DETAIL_TYPE: ClassVar[str] = "task.started"
    SOURCE_SERVICE: ClassVar[str] = "*"  # any agent service

    task_id: str = Field(min_length=1, max_length=64)
    agent: AgentName
    attempt: int = Field(ge=1)


class TaskCompleted(EventDetail):
    """An agent finished an attempt successfully; ``outputs`` is the agent's outputs model as JSON."""

    DETAIL_TYPE: ClassVar[str] = "task.completed"
    SOURCE_SERVICE: ClassVar[str] = "*"  # any agent service

    task_id: str = Field(min_length=1, max_length=64)
    agent: AgentName
    attempt: int = Field(ge=1)
    outputs: dict[str, Any] = Field(default_factory=dict)


class TaskFailed(EventDetail):
    """An agent failed an attempt. ``retryable`` says whether another attempt could succeed."""

    DETAIL_TYPE: ClassVar[str] = "task.failed"
    SOURCE_SERVICE: ClassVar[str] = "*"  # any agent service

    task_id: str = Field(min_length=1, max_length=64)
    agent: AgentName
    attempt: int = Field(ge=1)
    error: str = Field(min_length=1, max_length=4000)
    retryable: bool
    evidence: dict[str, Any] = Field(default_factory=dict)
