"""ClaudeSummarizer against a local server speaking the Anthropic Messages API (SDK base_url).

Asserts what we send (API key, model, forced tool, the facts with their ids) and how we handle
answers: valid citations kept with token usage and cost; made-up citations and API errors fall back
to the deterministic template.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from agentic_observability.adapters.claude_summarizer import TOOL, ClaudeSummarizer, estimated_cost
from agentic_observability.logic.summary import CheckedSummarizer, Fact
from pytest_httpserver import HTTPServer

API_KEY = "sk-ant-test-000"
MODEL = "claude-sonnet-5-5"
FACTS = [
    Fact("probe:p95_latency_ms", "p95_latency_ms = 812 (threshold 500, FAILED; probe)", failed=True),
    Fact("probe:error_rate", "error_rate = 0 (threshold 0.01, met; probe)"),
]


@pytest.fixture
def anthropic_api() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as server:
        yield server


def message(claims: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": [{"type": "tool_use", "id": "toolu_1", "name": TOOL, "input": {"claims": claims}}],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 320, "output_tokens": 60},
    }


def summarizer(server: HTTPServer) -> CheckedSummarizer:
    return CheckedSummarizer(
        ClaudeSummarizer(API_KEY, MODEL, base_url=server.url_for("").rstrip("/"), timeout=5)
    )


def test_a_summary_citing_the_facts_is_kept_with_its_token_cost(anthropic_api: HTTPServer):
    # Given Claude answers with a claim citing a real fact
    anthropic_api.expect_request("/v1/messages", method="POST").respond_with_json(
        message([{"text": "p95 latency breached the SLO", "evidence": ["probe:p95_latency_ms"]}])
    )
    # When
    summary = summarizer(anthropic_api).summarize("deployment dep-1 of orders", FACTS)
    # Then the request carried the key, the model, the forced tool and every fact id
    request = anthropic_api.log[0][0]
    sent = json.loads(request.get_data())
    # anthropic SDK 2.x sends the key as a bearer token
    assert API_KEY in (
        request.headers.get("x-api-key"),
        request.headers.get("Authorization", "").removeprefix("Bearer "),
    )
    assert "anthropic-version" in request.headers
    assert sent["model"] == MODEL
    assert sent["tool_choice"] == {"type": "tool", "name": TOOL}
    assert "[probe:p95_latency_ms]" in sent["messages"][0]["content"]
    assert sent["tools"][0]["input_schema"]["properties"]["claims"]["items"]["properties"]["evidence"][
        "items"
    ] == {"enum": ["probe:p95_latency_ms", "probe:error_rate"]}
    # and the summary keeps the claim, the usage and the estimated cost
    assert summary.author == f"claude:{MODEL}"
    assert summary.text == "p95 latency breached the SLO [probe:p95_latency_ms]"
    assert summary.usage is not None
    assert (summary.usage.input_tokens, summary.usage.output_tokens) == (320, 60)
    assert summary.usage.estimated_cost_usd == estimated_cost(MODEL, 320, 60) == 0.00186


def test_a_made_up_citation_is_rejected_and_the_template_used_with_usage_kept(anthropic_api: HTTPServer):
    anthropic_api.expect_request("/v1/messages").respond_with_json(
        message([{"text": "the database ran out of connections", "evidence": ["db:pool"]}])
    )
    summary = summarizer(anthropic_api).summarize("deployment dep-1", FACTS)
    assert summary.author == "template"
    assert "db:pool" in (summary.note or "")
    assert summary.usage is not None  # the tokens were spent all the same


@pytest.mark.parametrize("status", [401, 529])
def test_api_errors_fall_back_to_the_template_without_leaking_the_key(anthropic_api: HTTPServer, status: int):
    error = {
        "type": "error",
        "error": {"type": "overloaded_error" if status == 529 else "authentication_error", "message": "nope"},
    }
    anthropic_api.expect_request("/v1/messages").respond_with_json(error, status=status)
    summary = summarizer(anthropic_api).summarize("deployment dep-1", FACTS)
    assert summary.author == "template"
    assert "model unavailable" in (summary.note or "")
    assert API_KEY not in (summary.note or "")
