"""The Go golden path on the local stack: POST /workflows for a Go REST service (no database, dev), then
the local deploy target builds it with the project's Go toolchain (modules verified against the
generated go.sum, module and build caches shared by every deploy) and runs it."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from agentic_checks.toolchain import go_binary, go_cache, go_env

from tests.e2e.conftest import RunningStack

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
"""A first run on a machine compiles the standard library and the modules into the Go cache (minutes)."""

PARAMS = {
    "serviceName": "stock-go",
    "language": "go",
    "database": "none",
    "pattern": "rest",
    "environment": "dev",
}


@pytest.fixture(scope="module")
def golden(stack: RunningStack) -> dict[str, Any]:
    started = time.monotonic()
    created = stack.create(PARAMS)
    workflow = stack.wait_for_end(created["workflowId"])
    elapsed = time.monotonic() - started
    print(f"\nGo golden path (rest, no database, dev): {workflow['status']} in {elapsed:.1f} s")
    return workflow


def _task(workflow: dict[str, Any], task_id: str) -> dict[str, Any]:
    return next(t for t in workflow["tasks"] if t["taskId"] == task_id)


def test_the_go_golden_path_completes_with_every_task_succeeded(golden: dict[str, Any]) -> None:
    assert golden["status"] == "completed", golden.get("reason")
    assert {t["taskId"]: t["status"] for t in golden["tasks"]} == {
        "codegen": "succeeded",
        "policy": "succeeded",
        "deploy": "succeeded",
        "verify": "succeeded",
    }


def test_the_deployed_go_service_runs_the_binary_it_built_and_serves_its_api(golden: dict[str, Any]) -> None:
    # Given the deployed service
    url = _task(golden, "deploy")["outputs"]["url"]
    # When it is asked for health, readiness and a record written through its API
    health = httpx.get(f"{url}/health", timeout=5)
    ready = httpx.get(f"{url}/ready", timeout=5)
    created = httpx.post(f"{url}/v1/items", json={"name": "bolt"}, timeout=5)
    # Then the Gin service answers as its README says
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "service": PARAMS["serviceName"]}
    assert ready.json() == {"status": "ready", "database": "memory"}
    assert created.status_code == 201, created.text
    assert httpx.get(f"{url}/v1/items/{created.json()['id']}", timeout=5).json() == created.json()
    assert _task(golden, "verify")["outputs"]["verified"] is True


def test_the_generated_go_repository_clones_and_its_own_tests_pass(
    golden: dict[str, Any], tmp_path: Path
) -> None:
    # Given a clone of the generated repository
    codegen = _task(golden, "codegen")["outputs"]
    checkout = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", codegen["repo_url"], str(checkout)], check=True)
    # When its tests run with the committed go.mod and go.sum only
    result = subprocess.run(
        [str(go_binary()), "test", "-count=1", "./..."],
        cwd=checkout,
        env=go_env(go_cache()),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    # Then they pass
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "ok  \tstock-go/internal/httpapi" in result.stdout
