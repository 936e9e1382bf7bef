"""The whole platform, started as `make up` starts it, driven through its API."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.slow

PARAMS = {"serviceName": "orders-api", "language": "python", "environment": "staging"}


@pytest.fixture(scope="module")
def golden(stack: RunningStack) -> dict:
    created = stack.create(PARAMS)
    return stack.wait_for_end(created["workflowId"])


def test_the_golden_path_completes_with_every_task_succeeded(golden: dict) -> None:
    assert golden["status"] == "completed", golden.get("reason")
    assert {t["taskId"]: t["status"] for t in golden["tasks"]} == {
        "codegen": "succeeded",
        "policy": "succeeded",
        "deploy": "succeeded",
        "verify": "succeeded",
    }


def test_the_deployed_service_answered_its_health_check(golden: dict) -> None:
    deploy = next(t for t in golden["tasks"] if t["taskId"] == "deploy")
    verify = next(t for t in golden["tasks"] if t["taskId"] == "verify")
    assert verify["outputs"]["verified"] is True
    assert verify["outputs"]["measurements"]["requests"] == 50
    assert verify["outputs"]["measurements"]["errors"] == 0
    response = httpx.get(f"{deploy['outputs']['url']}/health", timeout=5)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_generated_repository_clones_and_its_own_tests_pass(golden: dict, tmp_path: Path) -> None:
    codegen = next(t for t in golden["tasks"] if t["taskId"] == "codegen")["outputs"]
    checkout = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", codegen["repo_url"], str(checkout)], check=True)
    head = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert head == codegen["commit"]
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--quiet", str(venv), "--python", sys.executable], check=True)
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(venv / "bin" / "python"),
            "-r",
            str(checkout / "requirements-dev.txt"),
        ],
        check=True,
    )
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q"],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_notification_was_recorded_with_links(golden: dict, stack: RunningStack) -> None:
    log = stack.home / "notifications.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()]
    mine = [r for r in records if r["workflow_id"] == golden["workflowId"]]
    assert len(mine) == 1
    assert mine[0]["status"] == "completed"
    assert {"repository", "commit", "service"} <= set(mine[0]["links"])


def test_a_policy_violation_fails_the_workflow_with_skipped_dependents_and_a_remediation(
    stack: RunningStack,
) -> None:
    # Given a request whose base image is unpinned (python:latest), which the staging policy blocks
    created = stack.create({**PARAMS, "serviceName": "unpinned-api", "baseImage": "python:latest"})
    # When the workflow ends and the remediation agent has answered
    workflow = stack.wait_for_end(created["workflowId"])
    workflow = stack.wait_until(workflow["workflowId"], lambda w: w["remediations"], timeout=60)
    # Then
    assert workflow["status"] == "failed"
    assert {t["taskId"]: t["status"] for t in workflow["tasks"]} == {
        "codegen": "succeeded",
        "policy": "failed",
        "deploy": "skipped",
        "verify": "skipped",
    }
    assert "DOCKER-001" in workflow["reason"]
    assert "python:latest" in workflow["reason"]
    assert workflow["remediations"][0]["tier"] == "advisory"
    assert workflow["remediations"][0]["playbook"] == "fix-policy-violations"


def test_requests_without_a_token_are_refused_and_health_is_open(stack: RunningStack) -> None:
    assert httpx.get(f"{stack.api_url}/health", timeout=5).status_code == 200
    response = httpx.get(f"{stack.api_url}/workflows", timeout=5)
    assert response.status_code == 401
    assert "agentic token" in response.json()["message"]
