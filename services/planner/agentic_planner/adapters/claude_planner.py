"""Plan proposer backed by Claude (anthropic SDK, tool use with a JSON schema).

The model proposes; deterministic code disposes: its answer is parsed into ``ProposedPlan`` and
then validated against the catalogue (allow-listed templates, JSON Schema parameters) by the caller.
"""

from __future__ import annotations

import json
from typing import Any

from agentic_planner.ports import ProposedPlan

TOOL_NAME = "propose_workflow"
SYSTEM = (
    "You turn a developer's request into exactly one workflow from the platform's template catalogue. "
    "Call the propose_workflow tool once. Use only the templates and parameters given; never invent "
    "parameters. If the request does not fit any template, pick the closest and explain in rationale."
)


class ProposalError(ValueError):
    """The model did not return a usable proposal."""


class ClaudePlanProposer:
    def __init__(self, api_key: str, model: str, base_url: str | None = None, timeout: float = 30.0) -> None:
        import anthropic  # noqa: PLC0415 - heavy; imported only when a key configures this adapter

        self._client = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=2)
        self._model = model

    def propose(self, request: str, templates: dict[str, dict[str, Any]]) -> ProposedPlan:
        tool = {
            "name": TOOL_NAME,
            "description": "Propose the catalogue template and parameters that fulfil the request.",
            "input_schema": {
                "type": "object",
                "required": ["template", "parameters"],
                "properties": {
                    "template": {"type": "string", "enum": sorted(templates)},
                    "parameters": {"type": "object"},
                    "rationale": {"type": "string"},
                },
            },
        }
        catalogue = json.dumps(templates, indent=1, sort_keys=True)
        message = self._client.messages.create(
            model=self._model,
            max_tokens=1024,
            system=SYSTEM,
            tools=[tool],  # type: ignore[list-item]
            tool_choice={"type": "tool", "name": TOOL_NAME},
            messages=[
                {
                    "role": "user",
                    "content": f"Catalogue (template → parameters schema):\n{catalogue}\n\n"
                    f"Request:\n{request}",
                }
            ],
        )
        for block in message.content:
            if block.type == "tool_use" and block.name == TOOL_NAME:
                try:
                    return ProposedPlan.model_validate(block.input)
                except ValueError as exc:
                    raise ProposalError(f"the model's proposal does not fit the schema: {exc}") from exc
        raise ProposalError("the model did not call propose_workflow")
