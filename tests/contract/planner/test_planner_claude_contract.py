"""The planner's Claude plan proposer against a local server speaking the Anthropic Messages API.

The server records what we send (a Messages API request with a forced tool call), and answers as
the real service does, including its errors. (The Slack notifier's contract: test_planner_slack_contract.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from agentic_planner.adapters.claude_planner import TOOL_NAME, ClaudePlanProposer, ProposalError
from agentic_planner.ports import ProposerUnavailableError
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.contract.planner.anthropic_messages import error, message, tool_use

API_KEY = "sk-ant-test-key-000"
TEMPLATES = {"microservice-rest-api": {"type": "object", "properties": {"serviceName": {"type": "string"}}}}


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as http:
        yield http


def test_the_proposer_forces_the_tool_with_the_catalogue_and_parses_its_answer(server: HTTPServer) -> None:
    proposal = {
        "template": "microservice-rest-api",
        "parameters": {"serviceName": "orders-api"},
        "rationale": "a REST service was asked for",
    }
    server.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(
        message([tool_use(proposal)])
    )
    plan = ClaudePlanProposer(API_KEY, "claude-test", base_url=server.url_for("")).propose(
        "I need an orders REST API", TEMPLATES
    )
    assert plan.template == "microservice-rest-api"
    assert plan.parameters == {"serviceName": "orders-api"}
    ((request, _),) = server.log
    sent = request.get_json()
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"  # how anthropic 2.x authenticates
    assert request.headers["anthropic-version"]
    assert sent["model"] == "claude-test"
    assert sent["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    assert sent["tools"][0]["input_schema"]["properties"]["template"]["enum"] == ["microservice-rest-api"]
    assert "I need an orders REST API" in sent["messages"][0]["content"]


def test_an_answer_without_the_tool_call_or_off_schema_is_rejected(server: HTTPServer) -> None:
    answers = [
        message([{"type": "text", "text": "Sure! Here is a plan."}]),
        message([tool_use({"template": "microservice-rest-api"})]),
    ]

    def reply(request: Request) -> Response:
        return Response(json.dumps(answers.pop(0)), content_type="application/json")

    server.expect_request("/v1/messages", method="POST").respond_with_handler(reply)
    proposer = ClaudePlanProposer(API_KEY, "claude-test", base_url=server.url_for(""))
    with pytest.raises(ProposalError, match="did not call propose_workflow"):
        proposer.propose("anything", TEMPLATES)
    with pytest.raises(ProposalError, match="does not fit the schema"):
        proposer.propose("anything", TEMPLATES)


def test_an_api_error_is_unavailable_after_the_sdk_retries_with_the_api_retry_after(
    server: HTTPServer,
) -> None:
    server.expect_request("/v1/messages", method="POST").respond_with_json(
        error("overloaded_error", "Overloaded"), status=529, headers={"retry-after": "1"}
    )
    proposer = ClaudePlanProposer(API_KEY, "claude-test", base_url=server.url_for(""), timeout=5)
    with pytest.raises(ProposerUnavailableError, match="529 \\(overloaded_error\\)") as failure:
        proposer.propose("anything", TEMPLATES)
    assert failure.value.retry_after == 1
    assert API_KEY not in str(failure.value)
    assert len(server.log) == 3  # the first try and the SDK's two retries
