"""Deployments on the local stack: the golden path and a canary through their gated steps (the gate is
the environment table's when the template sets none), a failing version rolled back, and a production
deployment that waits for an approval and resumes when it is given."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from agentic_common.environments import load_rules
from agentic_local.auth import issue_token

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.slow

SERVICE = "release-api"
BROKEN_READY = """

_ready_calls = [0]


@app.middleware("http")
async def _broken_readiness(request, call_next):  # this version breaks once it takes traffic
    if request.url.path == "/ready":
        _ready_calls[0] += 1
        if _ready_calls[0] > 1:  # the deploy target's own check before any traffic still passes
            from fastapi.responses import JSONResponse
            return JSONResponse({"status": "broken"}, status_code=500)
    return await call_next(request)
"""


def _git(*args: str, cwd: Path) -> str:
    identity = ["-c", "user.name=E2E", "-c", "user.email=e2e@example.com", "-c", "commit.gpgsign=false"]
    return subprocess.run(
        ["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def push_version(repo_url: str, work: Path, branch: str, change: Any) -> str:
    """Commit a change on top of the generated repository and push it to the local git host."""
    if not work.exists():
        subprocess.run(["git", "clone", "--quiet", repo_url, str(work)], check=True)
    change(work)
    _git("add", "--all", cwd=work)
    _git("commit", "--quiet", "-m", f"e2e: {branch}", cwd=work)
    _git("push", "--quiet", "origin", f"HEAD:refs/heads/{branch}", cwd=work)
    return _git("rev-parse", "HEAD", cwd=work)


def version_answering(url: str) -> str:
    return str(httpx.get(f"{url}/", timeout=5).json()["version"])


def deploy(stack: RunningStack, commit: str, environment: str, strategy: str) -> dict[str, Any]:
    body = {"service": SERVICE, "version": commit, "environment": environment, "strategy": strategy}
    response = stack.client.post("/deploy", json=body)
    assert response.status_code == 202, response.text
    return dict(response.json())


@pytest.fixture(scope="module")
def released(stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    parameters = {"serviceName": SERVICE, "language": "python", "environment": "dev", "strategy": "canary"}
    workflow = stack.wait_for_end(stack.create(parameters)["workflowId"])
    assert workflow["status"] == "completed", workflow.get("reason")
    outputs = {t["taskId"]: t["outputs"] for t in workflow["tasks"]}
    codegen = outputs["codegen"]
    work = tmp_path_factory.mktemp("release") / "repo"
    good = push_version(
        codegen["repo_url"], work, "v2", lambda w: (w / "CHANGELOG.md").write_text("v2: a harmless change\n")
    )
    bad = push_version(
        codegen["repo_url"],
        work,
        "v3-broken",
        lambda w: (w / "app" / "main.py").write_text((w / "app" / "main.py").read_text() + BROKEN_READY),
    )
    return {"codegen": codegen, "good": good, "bad": bad, "golden_deploy": outputs["deploy"]}


def test_the_golden_path_canary_judges_its_step_on_the_dev_gate_of_the_table(
    released: dict[str, Any],
) -> None:
    # Given the golden path (microservice-rest-api, whose deploy task sets no gate) run with a canary
    # When its deploy task completed / Then every step passed on measurements of the dev table's size
    dev = load_rules().for_environment("dev").gates.slo
    steps = released["golden_deploy"]["steps"]
    assert [(s["weight"], s["passed"]) for s in steps] == [(100, True)]  # a first version: judged at 100%
    assert all(s["measurements"]["requests"] >= dev.requests for s in steps)
    assert all({e["metric"] for e in s["evidence"]} >= {"p95_latency_ms", "error_rate"} for s in steps)


def test_a_canary_completes_through_its_gated_steps(stack: RunningStack, released: dict[str, Any]) -> None:
    # Given the first version running in dev / When the next one is released as a canary
    accepted = deploy(stack, released["good"], "dev", "canary")
    workflow = stack.wait_for_end(accepted["workflowId"])
    # Then it completed through 10% → 50% → 100%, each step judged on the proxy's measurements
    assert workflow["status"] == "completed", workflow.get("reason")
    outputs = workflow["tasks"][0]["outputs"]
    assert [(s["weight"], s["passed"]) for s in outputs["steps"]] == [(10, True), (50, True), (100, True)]
    assert all(s["measurements"]["requests"] >= 20 for s in outputs["steps"])
    assert version_answering(outputs["url"]) == released["good"][:12]
    history = stack.client.get(f"/deployments/{accepted['deploymentId']}").json()
    assert history["status"] == "success"
    assert [h["status"] for h in history["history"]] == ["requested", "success"]


def test_a_version_that_fails_its_gate_is_rolled_back_and_traffic_returns(
    stack: RunningStack, released: dict[str, Any]
) -> None:
    # Given the good version serving / When a version whose readiness fails once it takes traffic is
    # released as a canary (it passes the deploy target's check before any traffic)
    accepted = deploy(stack, released["bad"], "dev", "canary")
    workflow = stack.wait_for_end(accepted["workflowId"])
    # Then the deployment failed at its first step, saying why, and the good version has all traffic
    assert workflow["status"] == "failed"
    assert "canary step 1 (10% of traffic)" in workflow["reason"]
    assert "failed its SLO gate: error rate" in workflow["reason"]
    assert f"traffic is back on {released['good'][:12]}" in workflow["reason"]
    history = stack.client.get(f"/deployments/{accepted['deploymentId']}").json()
    assert history["status"] == "rolled_back"
    listed = stack.client.get("/deployments", params={"service": SERVICE}).json()["deployments"]
    url = next(d["url"] for d in listed if d["status"] == "success")
    assert {version_answering(url) for _ in range(10)} == {released["good"][:12]}


def test_a_prod_deployment_waits_for_approval_and_resumes_on_approve(
    stack: RunningStack, released: dict[str, Any]
) -> None:
    # Given a blue-green deployment to prod
    accepted = deploy(stack, released["good"], "prod", "blue-green")
    assert accepted["status"] == "awaiting_approval"
    workflow = stack.client.get(f"/workflows/{accepted['workflowId']}").json()
    assert workflow["status"] == "awaiting_approval"
    assert workflow["tasks"][0]["status"] == "pending"
    # When another person, a member of the approver group, approves it with a comment (four eyes)
    approver = issue_token(stack.home, subject="release-manager@agentic.local", groups=["deploy-approvers"])
    response = stack.client.post(
        f"/approvals/{accepted['approvalId']}",
        json={"decision": "approve", "comment": "release window"},
        headers={"Authorization": f"Bearer {approver}"},
    )
    assert response.status_code == 200, response.text
    # Then the deployment runs to completion, and its history records the approval
    workflow = stack.wait_for_end(accepted["workflowId"])
    assert workflow["status"] == "completed", workflow.get("reason")
    history = stack.client.get(f"/deployments/{accepted['deploymentId']}").json()
    assert [h["status"] for h in history["history"]] == ["awaiting_approval", "approved", "success"]
    assert "release window" in history["history"][1]["detail"]
