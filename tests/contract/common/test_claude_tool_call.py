"""``agentic_common.claude.ClaudeTool`` against a local server speaking the Anthropic Messages API:
the forced tool call's input and usage, and each failure as a typed error without the key."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from agentic_common.claude import ClaudeTool, ModelAnswerError, ModelUnavailableError
from pytest_httpserver import HTTPServer

from tests.contract.planner.anthropic_messages import error, message

API_KEY = "sk-ant-test-key-111"
TOOL = {"name": "answer", "description": "Answer.", "input_schema": {"type": "object"}}


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as http:
        yield http


def claude(server: HTTPServer, timeout: float = 5.0) -> ClaudeTool:
    return ClaudeTool(API_KEY, "claude-test", base_url=server.url_for(""), timeout=timeout, max_retries=0)


def ask(tool: ClaudeTool) -> object:
    return tool.call(system="Be brief.", tool=TOOL, prompt="What?", max_tokens=100)


def test_the_tool_is_forced_and_its_input_and_usage_are_returned(server: HTTPServer) -> None:
    # Given a model that calls the tool
    answer = message([{"type": "tool_use", "id": "toolu_1", "name": "answer", "input": {"x": 1}}])
    server.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(answer)

    # When it is asked
    call = claude(server).call(system="Be brief.", tool=TOOL, prompt="What?", max_tokens=100)

    # Then the request forced the tool, and the call carries the input and the tokens spent
    [(request, _)] = server.log
    assert json.loads(request.data)["tool_choice"] == {"type": "tool", "name": "answer"}
    assert (call.input, call.input_tokens, call.output_tokens) == ({"x": 1}, 812, 64)


def test_an_answer_without_the_tool_call_is_a_model_answer_error(server: HTTPServer) -> None:
    server.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(
        message([{"type": "text", "text": "Sure."}])
    )
    with pytest.raises(ModelAnswerError, match="did not call answer"):
        ask(claude(server))


def test_a_reply_that_is_not_a_messages_response_is_a_model_answer_error(server: HTTPServer) -> None:
    server.expect_oneshot_request("/v1/messages", method="POST").respond_with_json({"hello": "world"})
    with pytest.raises(ModelAnswerError) as raised:
        ask(claude(server))
    assert API_KEY not in str(raised.value)


@pytest.mark.parametrize(("status", "retryable"), [(401, False), (400, False), (429, True), (529, True)])
def test_an_error_status_is_unavailable_with_whether_to_retry_and_without_the_key(
    server: HTTPServer, status: int, retryable: bool
) -> None:
    # Given the API answers an error that echoes the key, with a Retry-After
    server.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(
        error("overloaded_error", f"bad key {API_KEY}"), status=status, headers={"retry-after": "7"}
    )

    # When it is asked
    with pytest.raises(ModelUnavailableError, match=rf"answered {status} \(overloaded_error\)") as raised:
        ask(claude(server))

    # Then the error says whether to retry, when, and holds no key
    assert (raised.value.status, raised.value.retryable, raised.value.retry_after) == (status, retryable, 7)
    assert API_KEY not in str(raised.value)


def test_no_answer_at_all_is_unavailable_and_retryable() -> None:
    # Given nothing listens where the API should be
    with HTTPServer(host="127.0.0.1", port=0) as http:
        tool = claude(http)

    # When it is asked
    with pytest.raises(ModelUnavailableError, match="could not be reached") as raised:
        ask(tool)

    # Then a retry may help
    assert raised.value.retryable is True
