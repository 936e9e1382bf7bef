"""Summaries written by Claude (one forced tool call through ``agentic_common.claude``).

The model only sees the facts and must cite their ids; the caller validates every citation.
"""

from __future__ import annotations

from collections.abc import Sequence

from agentic_common.claude import ClaudeTool, ModelAnswerError, ModelUnavailableError
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
        self._claude = ClaudeTool(api_key, model, base_url=base_url, timeout=timeout, max_retries=1)
        self._model = model

    def summarize(self, subject: str, facts: Sequence[Fact]) -> Summary:
        listing = "\n".join(f"[{f.evidence_id}] {f.text}" for f in facts)
        tool = _tool([f.evidence_id for f in facts])
        prompt = f"Subject: {subject}\nFacts:\n{listing}"
        try:
            call = self._claude.call(system=SYSTEM, tool=tool, prompt=prompt, max_tokens=800)
        except ModelAnswerError as exc:
            raise UnsupportedClaimError(str(exc)) from None
        except ModelUnavailableError as exc:  # status errors, timeouts, connection errors
            raise ConnectionError(f"Claude API failed: {exc}") from None
        cost = estimated_cost(self._model, call.input_tokens, call.output_tokens)
        usage = TokenUsage(
            model=self._model,
            input_tokens=call.input_tokens,
            output_tokens=call.output_tokens,
            estimated_cost_usd=cost,
        )
        return Summary(_claims_of(call.input), author=f"claude:{self._model}", usage=usage)


def _claims_of(answer: object) -> tuple[Claim, ...]:
    raw = answer.get("claims") if isinstance(answer, dict) else None
    if not isinstance(raw, list):
        raise UnsupportedClaimError("the model's summary has no claims list")
    return tuple(
        Claim(str(c.get("text", "")), tuple(str(i) for i in c.get("evidence", [])))
        for c in raw
        if isinstance(c, dict)
    )
