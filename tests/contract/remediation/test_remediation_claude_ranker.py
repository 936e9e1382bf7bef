"""The Claude ranker against a local server speaking the Messages API subset we use (POST /v1/messages)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from agentic_remediation.adapters.claude_ranker import TOOL_NAME, ClaudeRanker
from agentic_remediation.logic.catalogue import load_catalogue
from agentic_remediation.logic.ranking import DETERMINISTIC, rank
from agentic_remediation.ports import Choice, RankingError
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

API_KEY = "sk-ant-test-0123456789abcdef"
MODEL = "claude-test-model"
CANDIDATES = tuple(
    p
    for p in load_catalogue().for_event("anomaly.detected")
    if p.id in {"restart-unhealthy-service", "rollback-to-previous-version", "scale-out-on-latency"}
)
FACTS = {"event": "anomaly.detected", "service": "orders-api", "environment": "prod", "signal": "latency"}


def _message(content: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": content,
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 321, "output_tokens": 54},
    }


def _tool_answer(ranking: list[dict[str, Any]]) -> dict[str, Any]:
    return _message(
        [{"type": "tool_use", "id": "toolu_01", "name": TOOL_NAME, "input": {"ranking": ranking}}]
    )


def _ranker(server: HTTPServer, timeout: float = 5.0) -> ClaudeRanker:
    return ClaudeRanker(API_KEY, MODEL, base_url=server.url_for("").rstrip("/"), timeout=timeout)


def test_the_ranker_sends_the_allowed_playbooks_as_a_forced_tool_and_reads_the_ranking(
    httpserver: HTTPServer,
) -> None:
    # Given a server that answers with a tool call
    httpserver.expect_request("/v1/messages", method="POST").respond_with_json(
        _tool_answer(
            [
                {
                    "playbook": "scale-out-on-latency",
                    "parameters": {"replicas": 3},
                    "reason": "latency, no errors",
                },
                {"playbook": "restart-unhealthy-service", "reason": "cheap second try"},
            ]
        )
    )
    # When
    choices = _ranker(httpserver).rank(CANDIDATES, FACTS)
    # Then the request carried the key header, the model, the tool with the allow-list as an enum
    [(request, _)] = httpserver.log
    # (anthropic 2.10 sends the key as a bearer token; older SDKs used x-api-key)
    assert (
        request.headers.get("Authorization") == f"Bearer {API_KEY}"
        or request.headers.get("x-api-key") == API_KEY
    )
    assert request.headers["anthropic-version"]
    body = json.loads(request.data)
    assert body["model"] == MODEL
    assert body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    [tool] = body["tools"]
    allowed = tool["input_schema"]["properties"]["ranking"]["items"]["properties"]["playbook"]["enum"]
    assert sorted(allowed) == sorted(p.id for p in CANDIDATES)
    assert "orders-api" in body["messages"][0]["content"]
    assert API_KEY not in json.dumps(body)
    # And the answer is read in order
    assert choices == [
        Choice("scale-out-on-latency", {"replicas": 3}, "latency, no errors"),
        Choice("restart-unhealthy-service", {}, "cheap second try"),
    ]


def test_a_model_choice_outside_the_allow_list_is_dropped_by_validation(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/messages", method="POST").respond_with_json(
        _tool_answer(
            [
                {"playbook": "scale-out-on-latency", "parameters": {"replicas": 99}, "reason": "more!"},
            ]
        )
    )
    ranking = rank(_ranker(httpserver), CANDIDATES, FACTS)
    assert ranking.ranked_by == DETERMINISTIC
    assert "replicas: 99 is greater than the maximum of 5" in ranking.rejected[0]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, "AuthenticationError"),
        (404, "NotFoundError"),
        (529, "OverloadedError"),
        (500, "InternalServerError"),
    ],
)
def test_an_api_error_becomes_a_ranking_error_without_the_key(
    httpserver: HTTPServer, status: int, error: str
) -> None:
    body = {"type": "error", "error": {"type": "api_error", "message": "nope"}}
    httpserver.expect_request("/v1/messages", method="POST").respond_with_json(body, status=status)
    with pytest.raises(RankingError) as raised:
        _ranker(httpserver).rank(CANDIDATES, FACTS)
    assert error in str(raised.value) or "APIStatusError" in str(raised.value)
    assert API_KEY not in str(raised.value)


def test_a_server_that_does_not_answer_in_time_becomes_a_ranking_error(httpserver: HTTPServer) -> None:
    def slow(_: Request) -> Response:
        time.sleep(1.0)
        return Response(json.dumps(_tool_answer([])), content_type="application/json")

    httpserver.expect_request("/v1/messages", method="POST").respond_with_handler(slow)
    with pytest.raises(RankingError, match="APITimeoutError"):
        _ranker(httpserver, timeout=0.3).rank(CANDIDATES, FACTS)


def test_an_answer_without_the_tool_call_becomes_a_ranking_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/messages", method="POST").respond_with_json(
        _message([{"type": "text", "text": "I would restart it."}])
    )
    with pytest.raises(RankingError, match="did not call rank_playbooks"):
        _ranker(httpserver).rank(CANDIDATES, FACTS)
