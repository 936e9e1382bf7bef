"""Summaries written by Claude (anthropic SDK, Messages API with a forced tool call).

The model only sees the facts and must cite their ids; the caller validates every citation.
"""

from __future__ import annotations

from collections.abc import Sequence

import anthropic
from agentic_common.events.observability import TokenUsage

from agentic_observability.logic.summary import Claim, Fact, Summary, UnsupportedClaimError

TOOL = "write_summary"
SYSTEM = (
    "You write short deployment and incident summaries for engineers. Use only the facts given. "
    "Every claim must cite the ids of the facts it rests on. Call write_summary once."
)
# USD per million tokens (input, output): an estimate from list prices; unknown models are priced like Sonnet.
SONNET = (3.0, 15.0)
PRICES = {
    "claude-sonnet-5-5": SONNET,
    "claude-sonnet-4-5": SONNET,
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-opus-4-1": (15.0, 75.0),
}


def estimated_cost(model: str, input_tokens: int, output_tokens: int) -> float:
    price_in, price_out = PRICES.get(model, SONNET)
    return round((input_tokens * price_in + output_tokens * price_out) / 1_000_000, 6)


def _tool(ids: list[str]) -> dict[str, object]:
    claim = {
        "type": "object",
        "required": ["text", "evidence"],
        "properties": {"text": {"type": "string"}, "evidence": {"type": "array", "items": {"enum": ids}}},
    }
    return {
        "name": TOOL,
        "description": "Record the summary as claims, each citing fact ids.",
        "input_schema": {
            "type": "object",
            "required": ["claims"],
            "properties": {"claims": {"type": "array", "items": claim}},
        },
    }


class ClaudeSummarizer:
    def __init__(self, api_key: str, model: str, base_url: str | None = None, timeout: float = 30.0) -> None:
        self._client = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=1)
        self._model = model

    def summarize(self, subject: str, facts: Sequence[Fact]) -> Summary:
        listing = "\n".join(f"[{f.evidence_id}] {f.text}" for f in facts)
        try:
            message = self._create(subject, listing, facts)
        except anthropic.APIError as exc:  # status errors, timeouts, connection errors
            raise ConnectionError(f"Claude API failed: {type(exc).__name__}") from exc
        tokens_in, tokens_out = message.usage.input_tokens, message.usage.output_tokens
        cost = estimated_cost(self._model, tokens_in, tokens_out)
        usage = TokenUsage(
            model=self._model, input_tokens=tokens_in, output_tokens=tokens_out, estimated_cost_usd=cost
        )
        return _summary_of(message, usage, self._model)

    def _create(self, subject: str, listing: str, facts: Sequence[Fact]) -> anthropic.types.Message:
        return self._client.messages.create(  # type: ignore[call-overload,no-any-return]
            model=self._model,
            max_tokens=800,
            system=SYSTEM,
            tools=[_tool([f.evidence_id for f in facts])],
            tool_choice={"type": "tool", "name": TOOL},
            messages=[{"role": "user", "content": f"Subject: {subject}\nFacts:\n{listing}"}],
        )


def _summary_of(message: anthropic.types.Message, usage: TokenUsage, model: str) -> Summary:
    for block in message.content:
        if block.type == "tool_use" and block.name == TOOL:
            raw = block.input.get("claims") if isinstance(block.input, dict) else None
            if not isinstance(raw, list):
                raise UnsupportedClaimError("the model's summary has no claims list")
            claims = tuple(
                Claim(str(c.get("text", "")), tuple(str(i) for i in c.get("evidence", [])))
                for c in raw
                if isinstance(c, dict)
            )
            return Summary(claims, author=f"claude:{model}", usage=usage)
    raise UnsupportedClaimError("the model did not call write_summary")
