"""Catalogue entries: a template's parameters (JSON Schema) and its task DAG, loaded from data files."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

AGENTS = ("codegen", "policy", "deployment", "observability", "remediation")
Agent = Literal["codegen", "policy", "deployment", "observability", "remediation"]


class TaskTemplate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,31}$")
    agent: Agent
    action: str
    depends_on: tuple[str, ...] = ()
    timeout_seconds: int = Field(default=300, ge=1, le=3600)
    max_attempts: int = Field(default=3, ge=1, le=10)
    estimated_seconds: int = Field(default=60, ge=0)
    config: dict[str, Any] = Field(default_factory=dict)


class Template(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    version: str
    title: str
    description: str
    parameters: dict[str, Any]
    tasks: tuple[TaskTemplate, ...] = Field(min_length=1)
    names_service: Literal["claim", "reassign"] | None = Field(
        default=None,
        description="claim: creates the service named by serviceName (refused if the name holds another "
        "language or pattern); reassign: changes that service's language or pattern (the upgrade).",
    )

    @model_validator(mode="after")
    def _dag_is_valid(self) -> Template:
        ids = [t.id for t in self.tasks]
        if len(set(ids)) != len(ids):
            raise ValueError(f"template {self.name}: duplicate task ids")
        known: set[str] = set()
        for task in self.tasks:  # declared in dependency order, which also proves there is no cycle
            unknown = set(task.depends_on) - known
            if unknown:
                raise ValueError(
                    f"template {self.name}: task {task.id} depends on {sorted(unknown)} "
                    "which are not declared before it"
                )
            known.add(task.id)
        return self
