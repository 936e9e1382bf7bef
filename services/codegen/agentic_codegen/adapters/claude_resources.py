"""The ``ResourceProposer`` port over Claude (anthropic SDK, forced tool use with the proposal schema).

The answer is returned raw: the caller validates it. SDK retries are off so failures surface at once
(the task protocol retries); the API key never appears in an error.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic
from anthropic.types import ToolParam

from agentic_codegen.logic.customise import PROPOSAL_SCHEMA, ProposerError

TOOL_NAME = "propose_resources"
SYSTEM = (
    "You design the data model of a generated CRUD microservice. From the developer's description, "
    "call propose_resources once with the extra resources the service needs: singular snake_case names, "
    "fields typed string, integer, number or boolean. Do not repeat existing resources; no id field."
)
RETRYABLE_STATUS = {408, 409, 429}


class ClaudeResourceProposer:
    def __init__(self, api_key: str, model: str, base_url: str | None = None, timeout: float = 60.0) -> None:
        self._client = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0)
        self._model = model

    def propose(self, description: str, existing: list[dict[str, Any]]) -> object:
        tool: ToolParam = {
            "name": TOOL_NAME,
            "description": "Propose extra resources (models with CRUD endpoints) for the service.",
            "input_schema": PROPOSAL_SCHEMA,
        }
        prompt = f"Existing resources:\n{json.dumps(existing, indent=1)}\n\nDescription:\n{description}"
        try:
            message = self._client.messages.create(
                model=self._model,
                max_tokens=2048,
                system=SYSTEM,
                tools=[tool],
                tool_choice={"type": "tool", "name": TOOL_NAME},
                messages=[{"role": "user", "content": prompt}],
            )
        except anthropic.APIStatusError as exc:
            retryable = exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
            raise ProposerError(f"the Claude API answered {exc.status_code}", retryable=retryable) from None
        except anthropic.APIConnectionError as exc:
            raise ProposerError(
                f"the Claude API could not be reached ({type(exc).__name__})", retryable=True
            ) from None
        for block in message.content:
            if block.type == "tool_use" and block.name == TOOL_NAME:
                return block.input
        return None
