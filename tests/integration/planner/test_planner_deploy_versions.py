"""POST /deploy takes the design's `version`: a tag, a branch or a commit of the service's repository.

The planner resolves it with real `git` on the local Git host, records the name given (`ref`) and the
commit (`version`), and refuses a name the repository does not have, naming the repository.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event
from tests.integration.planner.git_repos import published


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path) -> Planner:
    return build(
        PlannerSettings(
            agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )


def call(planner: Planner, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    response = planner.handle_api(api_event(method, path, body), None)
    return response["statusCode"], json.loads(response["body"] or "{}")


def deploy(planner: Planner, service: str, repo_url: str, version: str) -> tuple[int, Any]:
    body = {"service": service, "version": version, "environment": "dev", "repoUrl": repo_url}
    return call(planner, "POST", "/deploy", body)


def name() -> str:
    return f"svc-{uuid.uuid4().hex[:8]}"


def deployment_tasks(aws_clients: Any, queue_url: str, workflow_id: str) -> list[dict[str, Any]]:
    sqs, found = aws_clients.client("sqs"), []
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            detail = json.loads(message["Body"])["detail"]
            if detail["workflow_id"] == workflow_id:
                found.append(detail)
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return found


def test_a_tag_as_in_the_design_is_resolved_to_its_commit_and_both_are_recorded(
    planner: Planner, tmp_path: Path, queue_urls: dict[str, str], aws_clients: Any
) -> None:
    # Given a service repository on the Git host with the tag v1.2.3
    service = name()
    repo_url, commit = published(tmp_path, service, tag="v1.2.3")

    # When the design's example is posted verbatim
    status, accepted = deploy(planner, service, repo_url, "v1.2.3")

    # Then the answer, the workflow, the deployment history and the deploy task carry the commit and the tag
    assert status == 202, accepted
    assert (accepted["version"], accepted["ref"]) == (commit, "v1.2.3")
    _, workflow = call(planner, "GET", f"/workflows/{accepted['workflowId']}")
    assert (workflow["parameters"]["version"], workflow["parameters"]["ref"]) == (commit, "v1.2.3")
    _, history = call(planner, "GET", f"/deployments/{accepted['deploymentId']}")
    assert (history["version"], history["ref"]) == (commit, "v1.2.3")
    [task] = deployment_tasks(aws_clients, queue_urls["deployment-tasks"], accepted["workflowId"])
    assert task["parameters"]["version"] == commit


@pytest.mark.parametrize("kind", ["branch", "short commit", "full commit"])
def test_a_branch_or_a_commit_is_resolved_to_the_full_commit(
    planner: Planner, tmp_path: Path, kind: str
) -> None:
    # Given a repository with a release branch
    service = name()
    repo_url, commit = published(tmp_path, service, branch="release/2026-12")
    given = {"branch": "release/2026-12", "short commit": commit[:9], "full commit": commit}[kind]

    # When
    status, accepted = deploy(planner, service, repo_url, given)

    # Then
    assert status == 202, accepted
    assert (accepted["version"], accepted["ref"]) == (commit, given)


def test_a_version_the_repository_does_not_have_is_422_naming_the_repository(
    planner: Planner, tmp_path: Path
) -> None:
    # Given a repository without the tag v9.9.9
    service = name()
    repo_url, _ = published(tmp_path, service, tag="v1.2.3")

    # When
    status, body = deploy(planner, service, repo_url, "v9.9.9")

    # Then
    assert status == 422, body
    [problem] = body["errors"]
    assert problem["field"] == "version"
    assert problem["problem"] == f"'v9.9.9' is not a tag, branch or commit of repository '{service}'"


def test_a_repository_missing_from_the_git_host_is_422_on_repo_url(planner: Planner, tmp_path: Path) -> None:
    # Given a URL in the platform's namespace where no repository was ever created
    published(tmp_path, "some-other-repo")
    repo_url = (tmp_path / "git" / "services" / "never-created.git").resolve().as_uri()

    # When
    status, body = deploy(planner, "never-created", repo_url, "v1.0.0")

    # Then
    assert status == 422, body
    assert body["errors"][0]["field"] == "repoUrl"
    assert "'never-created'" in body["errors"][0]["problem"]


@pytest.mark.parametrize("version", ["../../etc", "-c", "v1..2", "main/", "a//b"])
def test_a_version_that_cannot_be_a_ref_name_is_422_before_git_runs(
    planner: Planner, tmp_path: Path, version: str
) -> None:
    # Given / When a version that is not a possible tag, branch or commit name
    service = name()
    repo_url, _ = published(tmp_path, service)
    status, body = deploy(planner, service, repo_url, version)

    # Then
    assert status == 422, body
    assert body["errors"][0]["field"] == "version"
