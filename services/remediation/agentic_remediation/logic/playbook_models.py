"""Typed playbooks and the action vocabulary (the YAML files are validated by JSON Schema first)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

BlastRadius = Literal["instance", "service", "shared"]
ActionKind = Literal["restart", "scale", "rollback", "resync", "fix-drift", "bump-dependency", "advise"]
SummaryKind = Literal["policy", "anomaly", "failed-task", "drift", "dependency"]
Condition = list[str | int | float | bool] | dict[str, float | bool]

# Actions the deployment worker executes (remediation.action_requested); the rest have no executor here.
EXECUTED_BY_DEPLOYMENT_WORKER: frozenset[str] = frozenset({"restart", "scale", "rollback", "resync"})
NO_EXECUTOR_REASON: dict[str, str] = {
    "fix-drift": "no Terraform run executor is configured in this installation: run the plan/apply by hand",
    "bump-dependency": "no dependency merge-request executor is configured here: open the bump by hand",
    "advise": "recommendation only",
}


class ParameterSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["integer", "number", "string", "boolean"]
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    enum: list[Any] | None = None

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.type}
        for key in ("minimum", "maximum", "enum"):
            if getattr(self, key) is not None:
                schema[key] = getattr(self, key)
        return schema


class Trigger(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event: str
    match: dict[str, Condition] = Field(default_factory=dict)
    unless: dict[str, Condition] = Field(default_factory=dict)


class ActionSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    action: ActionKind
    uses: tuple[str, ...] = ()
    blast_radius: BlastRadius | None = None


class Playbook(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    version: str
    description: str
    priority: int = 100
    trigger: Trigger
    blast_radius: BlastRadius
    parameters: dict[str, ParameterSpec] = Field(default_factory=dict)
    actions: tuple[ActionSpec, ...]
    summary: SummaryKind
    advice: str = ""

    @property
    def ref(self) -> str:
        """``id@version``: what the audit and the events record."""
        return f"{self.id}@{self.version}"

    def defaults(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.parameters.items()}

    def parameters_schema(self) -> dict[str, Any]:
        """JSON Schema of the parameter values a ranker may choose (no others)."""
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: spec.json_schema() for name, spec in self.parameters.items()},
        }
