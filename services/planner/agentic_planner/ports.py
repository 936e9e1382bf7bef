"""Ports the planner's logic takes: notifier and plan proposer (LLM). State and bus come from libs/common."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict


class Notification(BaseModel):
    model_config = ConfigDict(frozen=True)

    workflow_id: str
    status: str
    title: str
    text: str
    links: dict[str, str]


class Notifier(Protocol):
    def notify(self, notification: Notification) -> None: ...


class ProposedPlan(BaseModel):
    """What an LLM proposes for a free-text request: a catalogue template and its parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template: str
    parameters: dict[str, Any]
    rationale: str = ""


class PlanProposer(Protocol):
    def propose(self, request: str, templates: dict[str, dict[str, Any]]) -> ProposedPlan:
        """Map a free-text request onto one of ``templates`` (name → parameters JSON Schema)."""
