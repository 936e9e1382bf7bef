"""POST /workflows with free text, planned by a model behind a local Anthropic Messages API server.

Whatever the model answers (no tool call, malformed arguments, an error, no answer at all, a
hostile plan), the API answers 4xx or 503 with a reason, never a 500, and runs nothing it would
not run from a request body.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings
from pydantic import SecretStr
from pytest_httpserver import HTTPServer

from tests.contract.planner.anthropic_messages import error, message, tool_use
from tests.helpers import api_event

API_KEY = "sk-ant-free-text-key-000"
REQUEST = {"request": "I need an orders REST API in Node.js, deployed to dev"}


@pytest.fixture
def model() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as http:
        yield http


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path, model: HTTPServer) -> Planner:
    return build(
        PlannerSettings(
            agentic_env="test",
            aws_endpoint_url=aws_settings.aws_endpoint_url,
            agentic_home=tmp_path,
            anthropic_api_key=SecretStr(API_KEY),
            anthropic_base_url=model.url_for(""),
        )
    )


def ask(planner: Planner) -> tuple[int, dict[str, Any], dict[str, str]]:
    response = planner.handle_api(api_event("POST", "/workflows", REQUEST), None)
    return response["statusCode"], json.loads(response["body"]), response.get("headers") or {}


def answers(model: HTTPServer, body: dict[str, Any], status: int = 200, **headers: str) -> None:
    model.expect_request("/v1/messages", method="POST").respond_with_json(
        body, status=status, headers=headers
    )


def test_a_valid_proposal_becomes_a_workflow_with_canonical_parameters(
    planner: Planner, model: HTTPServer
) -> None:
    # Given a model that proposes a catalogue template with valid parameters
    service = f"orders-{uuid.uuid4().hex[:8]}"  # a name of its own: names outlive a test in the local AWS
    proposal = {"serviceName": service, "language": "nodejs", "environment": "dev"}
    answers(model, message([tool_use({"template": "microservice-rest-api", "parameters": proposal})]))

    # When free text is posted
    status, body, _ = ask(planner)

    # Then the workflow is created from the proposal, stored with canonical values
    assert status == 201, body
    assert (body["template"], body["parameters"]["language"]) == ("microservice-rest-api", "node")


def test_an_answer_without_a_tool_call_is_422_asking_for_a_template(
    planner: Planner, model: HTTPServer
) -> None:
    # Given a model that answers in prose
    answers(model, message([{"type": "text", "text": "Sure! Here is a plan."}]))

    # When
    status, body, _ = ask(planner)

    # Then
    assert status == 422, body
    assert body["errors"][0]["field"] == "request"
    assert body["message"].startswith("could not turn this request into a workflow: ")
    assert "did not call propose_workflow" in body["message"]
    assert "use a template" in body["message"]


def test_malformed_tool_arguments_are_422_asking_for_a_template(planner: Planner, model: HTTPServer) -> None:
    # Given a model whose tool call lacks the parameters and adds a field nobody asked for
    answers(model, message([tool_use({"template": "microservice-rest-api", "steal": True})]))

    # When
    status, body, _ = ask(planner)

    # Then
    assert status == 422, body
    assert "does not fit the schema" in body["message"]


def test_a_proposal_the_catalogue_refuses_is_422_asking_for_a_template(
    planner: Planner, model: HTTPServer
) -> None:
    # Given a model that proposes an unknown template
    answers(model, message([tool_use({"template": "run-anything", "parameters": {}})]))

    # When
    status, body, _ = ask(planner)

    # Then
    assert status == 422, body
    assert "unknown template 'run-anything'" in body["message"]


def test_an_overloaded_model_api_is_503_with_retry_after(planner: Planner, model: HTTPServer) -> None:
    # Given a model API that is overloaded and says when to come back
    answers(model, error("overloaded_error", "Overloaded"), status=529, **{"retry-after": "1"})

    # When
    status, body, headers = ask(planner)

    # Then the caller is told to retry later (or use a template), never shown the key
    assert status == 503, body
    assert body["error"] == "model_unavailable"
    assert headers["Retry-After"] == "1"
    assert API_KEY not in json.dumps(body)


def test_a_model_api_that_refuses_our_key_is_503_not_500(planner: Planner, model: HTTPServer) -> None:
    # Given a model API that refuses the configured key
    answers(model, error("authentication_error", "invalid x-api-key"), status=401)

    # When
    status, body, headers = ask(planner)

    # Then
    assert status == 503, body
    assert "401" in body["message"]
    assert int(headers["Retry-After"]) > 0


def test_an_unreachable_model_api_is_503_with_retry_after(planner: Planner, model: HTTPServer) -> None:
    # Given a model API that is not listening any more
    model.stop()

    # When
    status, body, headers = ask(planner)

    # Then
    assert status == 503, body
    assert "could not be reached" in body["message"]
    assert int(headers["Retry-After"]) > 0


def test_an_answer_that_is_not_json_is_not_a_500(planner: Planner, model: HTTPServer) -> None:
    # Given a model API that answers 200 with something that is not a Messages response
    model.expect_request("/v1/messages", method="POST").respond_with_data(
        "<html>gateway</html>", content_type="text/html"
    )

    # When
    status, body, _ = ask(planner)

    # Then
    assert status in (422, 503), body


@pytest.mark.parametrize(
    "repo_url",
    ["https://evil.example.com/attacker/backdoor.git", "file:///tmp/anywhere/backdoor.git"],
)
def test_a_hostile_model_cannot_pick_a_repository_outside_the_platform(
    planner: Planner, model: HTTPServer, repo_url: str, queue_urls: dict[str, str], aws_clients: Any
) -> None:
    # Given a model steered into proposing a deploy of someone else's repository
    parameters = {"service": "backdoor", "version": "abcdef1", "environment": "dev", "repoUrl": repo_url}
    answers(model, message([tool_use({"template": "deploy", "parameters": parameters})]))

    # When
    status, body, _ = ask(planner)

    # Then the plan meets the same rule as a request body: refused, nothing dispatched
    assert status == 422, body
    assert "parameters.repoUrl: must be a repository of the platform's Git host" in body["message"]
    sqs = aws_clients.client("sqs")
    waiting = sqs.receive_message(QueueUrl=queue_urls["deployment-tasks"], MaxNumberOfMessages=10)
    assert "backdoor" not in json.dumps(waiting.get("Messages", []))
