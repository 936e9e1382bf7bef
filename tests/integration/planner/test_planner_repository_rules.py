"""A `repoUrl` must be a repository of the platform's own Git host and namespace, without credentials.

Credentials inside a URL are refused (422) and never stored, echoed, logged or sent on: not in the
answer, not in a workflow, a deployment record or an event.
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path
from typing import Any

import pytest
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event
from tests.integration.planner.git_repos import published

SECRET = "glpat-SeCrEt-0123456789abcdef"


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path) -> Planner:
    return build(
        PlannerSettings(
            agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )


@pytest.fixture
def service() -> str:
    return f"repo-{uuid.uuid4().hex[:8]}"


def call(planner: Planner, method: str, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
    response = planner.handle_api(api_event(method, path, body, **kw), None)
    return response["statusCode"], json.loads(response["body"] or "{}")


def with_credentials(repo_url: str) -> str:
    scheme, rest = repo_url.split("://", 1)
    return (
        f"{scheme}://oauth2:{SECRET}@{rest}" if not rest.startswith("/") else f"file://oauth2:{SECRET}@{rest}"
    )


def test_a_repository_of_another_host_is_422_naming_repo_url(planner: Planner, service: str) -> None:
    # Given / When a deploy of a repository somewhere else
    body = {
        "service": service,
        "version": "v1.0.0",
        "environment": "dev",
        "repoUrl": "https://evil.example.com/x.git",
    }
    status, answer = call(planner, "POST", "/deploy", body)

    # Then
    assert status == 422, answer
    assert answer["errors"][0]["field"] == "repoUrl"
    assert "platform's Git host" in answer["errors"][0]["problem"]


def test_a_repository_outside_the_namespace_is_422(planner: Planner, tmp_path: Path, service: str) -> None:
    # Given a real repository on the same disk, but in another group than the platform's
    other = published(tmp_path / "elsewhere", service)[0]

    # When it is named in a deploy workflow
    parameters = {"service": service, "version": "main", "environment": "dev", "repoUrl": other}
    status, answer = call(planner, "POST", "/workflows", {"template": "deploy", "parameters": parameters})

    # Then
    assert status == 422, answer
    assert answer["errors"][0]["field"] == "parameters.repoUrl"


@pytest.mark.parametrize("route", ["/deploy", "/workflows"])
def test_credentials_in_a_repo_url_are_refused_and_never_echoed_stored_or_logged(
    planner: Planner,
    *,
    tmp_path: Path,
    service: str,
    route: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    queue_urls: dict[str, str],
    aws_clients: Any,
) -> None:
    # Given a real repository of the platform, named with a token inside its URL
    repo_url, commit = published(tmp_path, service)
    fields = {
        "service": service,
        "version": commit,
        "environment": "dev",
        "repoUrl": with_credentials(repo_url),
    }
    body = fields if route == "/deploy" else {"template": "deploy", "parameters": fields}
    caplog.set_level(logging.DEBUG)

    # When it is posted
    status, answer = call(planner, "POST", route, body)

    # Then it is refused naming the field, and the token is nowhere: answer, logs, deployments, queues
    assert status == 422, answer
    assert answer["errors"][0]["field"].endswith("repoUrl")
    assert "credentials" in answer["errors"][0]["problem"]
    assert SECRET not in json.dumps(answer)
    assert SECRET not in caplog.text + capsys.readouterr().err
    assert call(planner, "GET", "/deployments", query={"service": service})[1] == {"deployments": []}
    sqs = aws_clients.client("sqs")
    for queue in ("deployment-tasks", "planner-events"):
        messages = sqs.receive_message(
            QueueUrl=queue_urls[queue], MaxNumberOfMessages=10, VisibilityTimeout=0
        )
        assert SECRET not in json.dumps(messages.get("Messages", []))


def test_the_platform_repository_without_credentials_is_accepted(
    planner: Planner, tmp_path: Path, service: str
) -> None:
    # Given / When the same repository without credentials
    repo_url, commit = published(tmp_path, service)
    body = {"service": service, "version": commit, "environment": "dev", "repoUrl": repo_url}
    status, answer = call(planner, "POST", "/deploy", body)

    # Then
    assert status == 202, answer
