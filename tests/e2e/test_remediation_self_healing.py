"""Self-healing on the local stack: a deployed service is killed; in dev it is restarted automatically,
in prod an approval is requested first and approving it performs the restart."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from typing import Any

import boto3
import httpx
import pytest
from agentic_remediation.adapters.audit_dynamodb import DynamoDBAuditStore

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.slow

HEAL_TIMEOUT = 180.0


def _wait(what: str, check: Callable[[], Any], timeout: float = HEAL_TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.5)


def _state(stack: RunningStack, deployment_id: str) -> dict[str, Any] | None:
    path = stack.home / "deployments" / deployment_id / "state.json"
    try:
        return dict(json.loads(path.read_text()))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _kill(stack: RunningStack, deployment_id: str) -> int:
    """Kill the deployed service's process (started by this test's stack) and wait until it is gone."""
    state = _state(stack, deployment_id)
    assert state is not None, f"no state file for {deployment_id}"
    os.kill(state["pid"], signal.SIGKILL)
    _wait("the killed service to stop answering", lambda: not _healthy(state["url"]), timeout=30)
    return int(state["pid"])


def _restarted(stack: RunningStack, deployment: dict[str, Any], killed_pid: int) -> dict[str, Any] | None:
    """The deployment's new process, once it answers /health directly and through the public URL."""
    state = _state(stack, deployment["deployment_id"])
    if state and state["pid"] != killed_pid and _healthy(state["url"]) and _healthy(deployment["url"]):
        return state
    return None


def _deployment_of(workflow: dict[str, Any]) -> dict[str, Any]:
    deploy = next(t for t in workflow["tasks"] if t["agent"] == "deployment" or t["taskId"] == "deploy")
    return dict(deploy["outputs"])


def _pending(stack: RunningStack, kind: str, service: str, environment: str) -> dict[str, Any] | None:
    approvals = stack.client.get("/approvals", params={"kind": kind}).json()["approvals"]
    return next((a for a in approvals if a["service"] == service and a["environment"] == environment), None)


def _approve(stack: RunningStack, approval: dict[str, Any], comment: str) -> None:
    response = stack.client.post(
        f"/approvals/{approval['approvalId']}", json={"decision": "approve", "comment": comment}
    )
    assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def dev_service(stack: RunningStack) -> dict[str, Any]:
    created = stack.create({"serviceName": "selfheal-api", "language": "python", "environment": "dev"})
    workflow = stack.wait_for_end(created["workflowId"])
    assert workflow["status"] == "completed", workflow.get("reason")
    return {"workflow": workflow, "deployment": _deployment_of(workflow)}


def test_a_killed_dev_service_is_restarted_automatically_and_answers_health_again(
    stack: RunningStack, dev_service: dict[str, Any]
) -> None:
    # Given the dev deployment, healthy
    deployment = dev_service["deployment"]
    assert _healthy(deployment["url"])
    # When its process is killed
    killed = _kill(stack, deployment["deployment_id"])
    # Then the monitor notices, remediation restarts it with no person involved, and it answers again
    _wait("the dev service to be restarted and healthy", lambda: _restarted(stack, deployment, killed))
    workflow_id = dev_service["workflow"]["workflowId"]
    workflow = stack.wait_until(
        workflow_id,
        lambda w: any(r["playbook"] == "restart-unhealthy-service" for r in w["remediations"]),
        60,
    )
    [record] = [r for r in workflow["remediations"] if r["playbook"] == "restart-unhealthy-service"]
    assert record["tier"] == "automated"
    assert _pending(stack, "remediation", "selfheal-api", "dev") is None
    # And the audit shows who decided (the tier policy) and the executor's outcome
    audited = _wait(
        "the restart's outcome in the audit",
        lambda: (
            kinds
            if ("completed", "deployment-worker") in (kinds := _audit_kinds(stack, "selfheal-api", "dev"))
            else None
        ),
        timeout=60,
    )
    assert ("action_requested", "tier-policy@v1") in audited


def test_a_killed_prod_service_waits_for_approval_and_approving_restarts_it(stack: RunningStack) -> None:
    # Given a service deployed to prod
    created = stack.create({"serviceName": "selfheal-prod-api", "language": "python", "environment": "prod"})
    workflow = stack.wait_for_end(created["workflowId"])
    assert workflow["status"] == "completed", workflow.get("reason")
    deployment = _deployment_of(workflow)
    # When its process is killed
    killed = _kill(stack, deployment["deployment_id"])
    # Then a remediation approval is requested, and nothing restarts it meanwhile
    approval = _wait(
        "the remediation approval", lambda: _pending(stack, "remediation", "selfheal-prod-api", "prod")
    )
    assert "restart" in approval["summary"]
    time.sleep(3)
    assert _restarted(stack, deployment, killed) is None
    # And approving it performs the restart
    _approve(stack, approval, "restart it")
    _wait("the prod service to be restarted and healthy", lambda: _restarted(stack, deployment, killed))
    decided = stack.client.get(f"/approvals/{approval['approvalId']}").json()
    assert decided["status"] == "approved"
    audited = _wait(
        "the approved restart's outcome in the audit",
        lambda: (
            kinds
            if ("completed", "deployment-worker")
            in (kinds := _audit_kinds(stack, "selfheal-prod-api", "prod"))
            else None
        ),
        timeout=60,
    )
    assert ("approval_requested", "tier-policy@v1") in audited
    assert ("action_requested", f"user:{decided['decidedBy']}") in audited


def _audit_kinds(stack: RunningStack, service: str, environment: str) -> list[tuple[str, str]]:
    """(kind, decided_by) of the service's records in the stack's remediation-audit table."""
    config = json.loads((stack.home / "stack.json").read_text())
    client = boto3.client(
        "dynamodb",
        endpoint_url=config["aws_endpoint_url"],
        region_name=config["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    store = DynamoDBAuditStore(client, f"agentic-{config['env']}-remediation-audit")
    return [
        (r.kind, r.decided_by)
        for r in store.of_service(service)
        if (r.target or {}).get("environment") == environment
    ]
