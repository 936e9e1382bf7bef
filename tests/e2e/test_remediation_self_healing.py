"""Self-healing on the local stack: a deployed service is killed; in dev it is restarted automatically,
announced on the bus before (``remediation.action_requested``, with its reason and SLO evidence) and
after (``remediation.action_completed``); in prod an approval is requested first and approving it
performs the restart."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import httpx
import pytest
from agentic_common.settings import CommonSettings
from agentic_common.topology import default_topology
from agentic_local.auth import issue_token
from agentic_remediation.adapters.dynamodb.audit import DynamoDBAuditStore

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


def _aws(stack: RunningStack, service: str) -> Any:
    config = json.loads((stack.home / "stack.json").read_text())
    return boto3.client(
        service,
        endpoint_url=config["aws_endpoint_url"],
        region_name=config["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


@pytest.fixture(scope="module")
def remediation_events(stack: RunningStack) -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """A listener on the stack's bus: a rule of this test's own into a queue of its own."""
    config = json.loads((stack.home / "stack.json").read_text())
    bus = CommonSettings(agentic_env=config["env"]).name(default_topology().bus)
    sqs, events = _aws(stack, "sqs"), _aws(stack, "events")
    url = sqs.create_queue(QueueName="e2e-remediation-listener")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"detail-type": ["remediation.action_requested", "remediation.action_completed"]}
    events.put_rule(Name="e2e-remediation-listener", EventBusName=bus, EventPattern=json.dumps(pattern))
    events.put_targets(Rule="e2e-remediation-listener", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    seen: list[dict[str, Any]] = []

    def received() -> list[dict[str, Any]]:
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            for message in messages:
                seen.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return seen

    yield received
    events.remove_targets(Rule="e2e-remediation-listener", EventBusName=bus, Ids=["q"])
    events.delete_rule(Name="e2e-remediation-listener", EventBusName=bus)
    sqs.delete_queue(QueueUrl=url)


def _announced(events: list[dict[str, Any]], service: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The (request, completion) pair of an automated restart of ``service`` on the bus, once both are in."""
    requests = [
        e["detail"]
        for e in events
        if e["detail-type"] == "remediation.action_requested"
        and e["detail"]["service"] == service
        and e["detail"]["tier"] == "automated"
    ]
    for request in requests:
        done = [
            e["detail"]
            for e in events
            if e["detail-type"] == "remediation.action_completed"
            and e["detail"]["action_id"] == request["action_id"]
        ]
        if done:
            return request, done[0]
    return None


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
    assert ("action_requested", "tier-policy@v2") in audited


def test_the_automated_restart_is_announced_before_and_reported_after_with_its_evidence(
    stack: RunningStack, dev_service: dict[str, Any], remediation_events: Callable[[], list[dict[str, Any]]]
) -> None:
    # Given the dev deployment, healthy again after any earlier test
    deployment = dev_service["deployment"]
    _wait("the dev service to be healthy", lambda: _healthy(deployment["url"]), timeout=60)
    # When its process is killed
    killed = _kill(stack, deployment["deployment_id"])
    _wait("the dev service to be restarted and healthy", lambda: _restarted(stack, deployment, killed))
    # Then the bus carried the request (why, with the SLO evidence) and then the executor's completion
    request, completed = _wait(
        "the restart's request and completion on the bus",
        lambda: _announced(remediation_events(), "selfheal-api"),
        timeout=60,
    )
    assert request["action"] == "restart"
    assert "health 1 breaches the objective" in request["reason"]
    assert completed["outcome"] == "succeeded"
    assert request["occurred_at"] <= completed["occurred_at"]


def test_a_killed_prod_service_waits_for_approval_and_approving_restarts_it(stack: RunningStack) -> None:
    # Given a service deployed to prod (its deploy approved by a second person, as prod requires)
    created = stack.create({"serviceName": "selfheal-prod-api", "language": "python", "environment": "prod"})
    waiting = stack.wait_until(created["workflowId"], lambda w: w["status"] != "in_progress")
    assert waiting["status"] == "awaiting_approval", waiting.get("reason")
    _approve_deploy_as_reviewer(stack, created["workflowId"])
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
    assert ("approval_requested", "tier-policy@v2") in audited
    assert ("action_requested", f"user:{decided['decidedBy']}") in audited


def _approve_deploy_as_reviewer(stack: RunningStack, workflow_id: str) -> None:
    token = issue_token(stack.home, subject="reviewer@agentic.local", groups=["deploy-approvers"])
    with httpx.Client(
        base_url=stack.api_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as reviewer:
        response = reviewer.post(
            f"/approvals/apr-{workflow_id}", json={"decision": "approve", "comment": "e2e"}
        )
    assert response.status_code == 200, response.text


def _audit_kinds(stack: RunningStack, service: str, environment: str) -> list[tuple[str, str]]:
    """(kind, decided_by) of the service's records in the stack's remediation-audit table."""
    config = json.loads((stack.home / "stack.json").read_text())
    client = _aws(stack, "dynamodb")
    store = DynamoDBAuditStore(client, f"agentic-{config['env']}-remediation-audit")
    return [
        (r.kind, r.decided_by)
        for r in store.of_service(service)
        if (r.target or {}).get("environment") == environment
    ]
