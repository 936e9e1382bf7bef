"""Events the planner owns: workflow lifecycle (task.created lives in ``tasks``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from agentic_common.events.envelope import EventDetail


class PlannedTask(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    task_id: str
    agent: str
    action: str
    depends_on: tuple[str, ...] = ()


class WorkflowCreated(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "workflow.created"
    SOURCE_SERVICE: ClassVar[str] = "planner"

    requested_by: str
    via: str | None = Field(default=None, description="the service principal that asked for requested_by")
    template: str
    parameters: dict[str, Any]
    tasks: tuple[PlannedTask, ...]


class WorkflowCompleted(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "workflow.completed"
    SOURCE_SERVICE: ClassVar[str] = "planner"

    summary: str
    links: dict[str, str] = Field(default_factory=dict)
    duration_seconds: float = Field(ge=0)


class WorkflowFailed(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "workflow.failed"
    SOURCE_SERVICE: ClassVar[str] = "planner"

    reason: str = Field(min_length=1)
    failed_tasks: tuple[str, ...] = ()
    skipped_tasks: tuple[str, ...] = ()
    duration_seconds: float = Field(ge=0)
