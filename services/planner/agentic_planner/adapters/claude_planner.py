"""Plan proposer backed by Claude (anthropic SDK, tool use with a JSON schema).

The model proposes; deterministic code disposes: its answer is parsed into ``ProposedPlan`` and
then validated against the catalogue (allow-listed templates, JSON Schema parameters) by the caller.
"""

from __future__ import annotations

import json
from typing import Any

from agentic_planner.ports import ProposalError, ProposedPlan, ProposerUnavailableError

__all__ = ["TOOL_NAME", "ClaudePlanProposer", "ProposalError"]
DEFAULT_RETRY_AFTER = 30
MAX_RETRY_AFTER = 300

TOOL_NAME = "propose_workflow"
SYSTEM = (
    "You turn a developer's request into exactly one workflow from the platform's template catalogue. "
    "Call the propose_workflow tool once. Use only the templates and parameters given; never invent "
    "parameters. If the request does not fit any template, pick the closest and explain in rationale."
)


class ClaudePlanProposer:
    def __init__(self, api_key: str, model: str, base_url: str | None = None, timeout: float = 30.0) -> None:
        import anthropic  # noqa: PLC0415 - heavy; imported only when a key configures this adapter

        self._anthropic = anthropic
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
        try:
            message = self._ask(tool, catalogue, request)
        except self._anthropic.APIResponseValidationError:
            raise ProposalError("the model API's answer is not a Messages API response") from None
        except self._anthropic.APIStatusError as exc:
            raise ProposerUnavailableError(
                f"the model API answered {exc.status_code} ({_error_type(exc.body)})",
                _retry_after(exc.response.headers),
            ) from None
        except self._anthropic.APIError as exc:  # no answer at all: connection refused, timed out
            raise ProposerUnavailableError(
                f"the model API could not be reached ({type(exc).__name__})", DEFAULT_RETRY_AFTER
            ) from None
        return _proposal(message)

    def _ask(self, tool: dict[str, Any], catalogue: str, request: str) -> Any:
        return self._client.messages.create(
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


def _proposal(message: Any) -> ProposedPlan:
    for block in getattr(message, "content", None) or ():
        if getattr(block, "type", None) == "tool_use" and getattr(block, "name", None) == TOOL_NAME:
            try:
                return ProposedPlan.model_validate(block.input)
            except ValueError as exc:
                fields = ", ".join(".".join(map(str, e["loc"])) or "input" for e in _errors(exc))
                raise ProposalError(f"the model's proposal does not fit the schema ({fields})") from None
    raise ProposalError("the model did not call propose_workflow")


def _errors(exc: ValueError) -> list[Any]:
    errors = getattr(exc, "errors", None)
    return list(errors()) if callable(errors) else []


def _error_type(body: object) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    kind = error.get("type") if isinstance(error, dict) else None
    return kind if isinstance(kind, str) and kind.isidentifier() else "error"


def _retry_after(headers: Any) -> int:
    """The API's ``retry-after`` (seconds), kept within 1..300; 30 when it gave none we can read."""
    try:
        seconds = int(float(headers.get("retry-after", DEFAULT_RETRY_AFTER)))
    except (TypeError, ValueError):
        seconds = DEFAULT_RETRY_AFTER
    return min(max(seconds, 1), MAX_RETRY_AFTER)
