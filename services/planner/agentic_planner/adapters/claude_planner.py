"""Plan proposer backed by Claude (one forced tool call through ``agentic_common.claude``).

The model proposes; deterministic code disposes: its answer is parsed into ``ProposedPlan`` and
then validated against the catalogue (allow-listed templates, JSON Schema parameters) by the caller.
"""

from __future__ import annotations

import json
from typing import Any

from agentic_common.claude import ClaudeTool, ModelAnswerError, ModelUnavailableError
from pydantic import ValidationError

from agentic_planner.ports import ProposalError, ProposedPlan, ProposerUnavailableError

__all__ = ["TOOL_NAME", "ClaudePlanProposer", "ProposalError"]

TOOL_NAME = "propose_workflow"
SYSTEM = (
    "You turn a developer's request into exactly one workflow from the platform's template catalogue. "
    "Call the propose_workflow tool once. Use only the templates and parameters given; never invent "
    "parameters. If the request does not fit any template, pick the closest and explain in rationale."
)


def _tool(templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
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


class ClaudePlanProposer:
    def __init__(self, api_key: str, model: str, base_url: str | None = None, timeout: float = 30.0) -> None:
        self._claude = ClaudeTool(api_key, model, base_url=base_url, timeout=timeout, max_retries=2)

    def propose(self, request: str, templates: dict[str, dict[str, Any]]) -> ProposedPlan:
        catalogue = json.dumps(templates, indent=1, sort_keys=True)
        prompt = f"Catalogue (template → parameters schema):\n{catalogue}\n\nRequest:\n{request}"
        try:
            call = self._claude.call(system=SYSTEM, tool=_tool(templates), prompt=prompt, max_tokens=1024)
        except ModelAnswerError as exc:
            raise ProposalError(str(exc)) from None
        except ModelUnavailableError as exc:
            raise ProposerUnavailableError(str(exc), exc.retry_after) from None
        try:
            return ProposedPlan.model_validate(call.input)
        except ValidationError as exc:
            fields = ", ".join(".".join(map(str, e["loc"])) or "input" for e in exc.errors())
            raise ProposalError(f"the model's proposal does not fit the schema ({fields})") from None
