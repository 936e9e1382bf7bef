"""ClaudeResourceProposer and the customisation step against a local server speaking the Anthropic
Messages API: the request we send, a valid proposal rendered, malformed ones rejected, API errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from agentic_codegen.adapters.claude_resources import TOOL_NAME, ClaudeResourceProposer
from agentic_codegen.logic.customise import customise
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_codegen.ports import ProposerError
from pytest_httpserver import HTTPServer

API_KEY = "sk-ant-contract-test-key-0123456789"
TAG = {"name": "tag", "fields": [{"name": "label", "type": "string", "required": True}]}
RAW = {
    "serviceName": "shop",
    "language": "python",
    "resources": [TAG],
    "customisation": "Customers place orders for products.",
}
PROPOSAL = {
    "resources": [
        {"name": "customer", "fields": [{"name": "email", "type": "string", "required": True}]},
        {
            "name": "order",
            "plural": "orders",
            "fields": [
                {"name": "customer_id", "type": "string", "required": True},
                {"name": "total", "type": "number"},
                {"name": "paid", "type": "boolean"},
            ],
        },
    ],
    "rationale": "Customers and their orders.",
}


def _message(tool_input: Any, name: str = TOOL_NAME) -> dict[str, Any]:
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-5-5",
        "content": [{"type": "tool_use", "id": "toolu_01", "name": name, "input": tool_input}],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 50, "output_tokens": 80},
    }


def _proposer(server: HTTPServer) -> ClaudeResourceProposer:
    return ClaudeResourceProposer(
        API_KEY, "claude-sonnet-5-5", base_url=server.url_for("").rstrip("/"), timeout=5
    )


def _run(server: HTTPServer) -> tuple[Any, Any]:
    result: tuple[Any, Any] = customise(RAW, parse_parameters(RAW), _proposer(server))
    return result


def test_the_request_forces_the_tool_with_the_proposal_schema_and_sends_the_key(
    httpserver: HTTPServer,
) -> None:
    # Given Claude answers with a valid proposal
    httpserver.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(_message(PROPOSAL))

    # When the customisation step runs
    _run(httpserver)

    # Then one request went out with the key header, the forced tool and the description
    [(request, _response)] = httpserver.log
    body = json.loads(request.data)
    sent_key = request.headers.get("x-api-key") or request.headers.get("Authorization", "").removeprefix(
        "Bearer "
    )
    assert sent_key == API_KEY
    assert "anthropic-version" in request.headers
    assert body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    assert [tool["name"] for tool in body["tools"]] == [TOOL_NAME]
    assert body["tools"][0]["input_schema"]["required"] == ["resources"]
    assert "Customers place orders for products." in body["messages"][0]["content"]
    assert '"tag"' in body["messages"][0]["content"]  # the task's own resources are shown


def test_a_valid_proposal_is_applied_and_rendered_through_the_templates(httpserver: HTTPServer) -> None:
    # Given Claude answers with a valid proposal
    httpserver.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(_message(PROPOSAL))

    # When the customisation step runs and the service is rendered
    params, report = _run(httpserver)
    files = TemplateRenderer().render(params)

    # Then the report lists the resources and the generated code serves them
    assert report.status == "applied"
    assert report.resources == ["customer", "order"]
    assert [r.name for r in params.resources] == ["tag", "customer", "order"]
    rendered = b"\n".join(files.values())
    assert b"/v1/customers" in rendered
    assert b"customer_id" in rendered


@pytest.mark.parametrize(
    ("proposal", "problem"),
    [
        (
            {"resources": [{"name": "Order; DROP", "fields": [{"name": "x", "type": "string"}]}]},
            "does not match",
        ),
        ({"resources": [{"name": "order", "fields": [{"name": "x", "type": "datetime"}]}]}, "is not one of"),
        ({"resources": [{"name": "order", "fields": []}]}, "should be non-empty"),
        (
            {
                "resources": [
                    {"name": f"r{i}x", "fields": [{"name": "a", "type": "string"}]} for i in range(6)
                ]
            },
            "fails maxItems 5",
        ),
        (
            {"resources": [{"name": "order", "fields": [{"name": "x", "type": "string"}], "code": "rm -rf"}]},
            "Additional properties",
        ),
        ({"resources": [{"name": "tag", "fields": [{"name": "x", "type": "string"}]}]}, "already exist"),
        ({"resources": [{"name": "order", "fields": [{"name": "class", "type": "string"}]}]}, "reserved"),
        ("not even an object", "is not of type 'object'"),
    ],
)
def test_an_invalid_proposal_is_rejected_and_nothing_of_it_is_rendered(
    httpserver: HTTPServer, proposal: Any, problem: str
) -> None:
    # Given Claude answers with a proposal that breaks the schema or the catalogue rules
    httpserver.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(_message(proposal))

    # When the customisation step runs
    params, report = _run(httpserver)

    # Then it is rejected with the reason, and the parameters are the original ones
    assert report.status == "rejected"
    assert problem in report.reason
    assert params == parse_parameters(RAW)


def test_an_answer_without_the_tool_call_is_rejected(httpserver: HTTPServer) -> None:
    # Given Claude answers with text only
    answer = _message({}) | {
        "content": [{"type": "text", "text": "Here are some models..."}],
        "stop_reason": "end_turn",
    }
    httpserver.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(answer)

    # When the customisation step runs
    _params, report = _run(httpserver)

    # Then nothing is applied
    assert report.status == "rejected"


@pytest.mark.parametrize(
    ("status", "retryable"), [(401, False), (400, False), (429, True), (500, True), (529, True)]
)
def test_api_errors_are_reported_with_whether_to_retry_and_without_the_key(
    httpserver: HTTPServer, status: int, retryable: bool
) -> None:
    # Given the API answers with an error
    error = {"type": "error", "error": {"type": "api_error", "message": f"failed for {API_KEY}"}}
    httpserver.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(error, status=status)

    # When the proposer is asked
    with pytest.raises(ProposerError) as failure:
        _proposer(httpserver).propose("anything", [])

    # Then the error names the status, says whether to retry, and holds no key
    assert str(status) in str(failure.value)
    assert failure.value.retryable is retryable
    assert API_KEY not in str(failure.value)


def test_without_resources_in_the_task_the_proposal_replaces_the_placeholder(httpserver: HTTPServer) -> None:
    # Given a task without its own resources, and a valid proposal
    raw = {"serviceName": "shop", "customisation": "Customers."}
    httpserver.expect_oneshot_request("/v1/messages", method="POST").respond_with_json(_message(PROPOSAL))

    # When the customisation step runs
    params, report = customise(raw, parse_parameters(raw), _proposer(httpserver))

    # Then the service serves exactly the proposed resources
    assert report.status == "applied"
    assert [r.name for r in params.resources] == ["customer", "order"]


def test_without_a_proposer_the_step_is_skipped_and_says_why() -> None:
    # When no API key is configured (no proposer)
    params, report = customise(RAW, parse_parameters(RAW), None)

    # Then the parameters are unchanged and the report says the step was skipped
    assert report is not None
    assert report.status == "skipped"
    assert "ANTHROPIC_API_KEY" in report.reason
    assert params == parse_parameters(RAW)
