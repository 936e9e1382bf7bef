"""The ``ResourceProposer`` port over Claude (one forced tool call with the proposal schema).

The answer is returned raw: the caller validates it (no tool call at all is ``None``). SDK retries
are off so failures surface at once (the task protocol retries); the API key never appears in an error.
"""

from __future__ import annotations

import json
from typing import Any

from agentic_common.claude import ClaudeTool, ModelAnswerError, ModelUnavailableError

from agentic_codegen.logic.customise import PROPOSAL_SCHEMA
from agentic_codegen.ports import ProposerError

TOOL_NAME = "propose_resources"
SYSTEM = (
    "You design the data model of a generated CRUD microservice. From the developer's description, "
    "call propose_resources once with the extra resources the service needs: singular snake_case names, "
    "fields typed string, integer, number or boolean. Do not repeat existing resources; no id field."
)
TOOL = {
    "name": TOOL_NAME,
    "description": "Propose extra resources (models with CRUD endpoints) for the service.",
    "input_schema": PROPOSAL_SCHEMA,
}


class ClaudeResourceProposer:
    def __init__(self, api_key: str, model: str, base_url: str | None = None, timeout: float = 60.0) -> None:
        self._claude = ClaudeTool(api_key, model, base_url=base_url, timeout=timeout, max_retries=0)

    def propose(self, description: str, existing: list[dict[str, Any]]) -> object:
        prompt = f"Existing resources:\n{json.dumps(existing, indent=1)}\n\nDescription:\n{description}"
        try:
            return self._claude.call(system=SYSTEM, tool=TOOL, prompt=prompt, max_tokens=2048).input
        except ModelAnswerError:
            return None
        except ModelUnavailableError as exc:
            raise ProposerError(str(exc), retryable=exc.retryable) from None
