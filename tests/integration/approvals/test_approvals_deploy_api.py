"""/deploy, /deployments and /approvals through the planner's API handler, on the local AWS (moto)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from agentic_common.approvals import Approval, digest_of
from agentic_common.approvals.dynamodb import DynamoDBApprovalStore
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event
from tests.integration.planner.git_repos import published

COMMIT = "0123456789abcdef0123456789abcdef01234567"
REPO = "file:///srv/git/orders-api.git"
APPROVER = {"sub": "lead@example.com", "email": "lead@example.com", "groups": ["deploy-approvers"]}


@pytest.fixture
def planner(
    queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Planner]:
    repo_url, commit = published(tmp_path, "orders-api")  # /deploy resolves versions in real repositories
    monkeypatch.setitem(globals(), "REPO", repo_url)
    monkeypatch.setitem(globals(), "COMMIT", commit)
    return build(
        PlannerSettings(
            agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )


def call(planner: Planner, method: str, path: str, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
    response = planner.handle_api(api_event(method, path, body, **kwargs), None)
    return response["statusCode"], json.loads(response["body"] or "{}")


def deployment_queue(aws_clients: Any, queue_urls: dict[str, str]) -> list[dict[str, Any]]:
    sqs, found = aws_clients.client("sqs"), []
    while messages := sqs.receive_message(
        QueueUrl=queue_urls["deployment-tasks"], MaxNumberOfMessages=10, WaitTimeSeconds=0
    ).get("Messages", []):
        for message in messages:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(
                QueueUrl=queue_urls["deployment-tasks"], ReceiptHandle=message["ReceiptHandle"]
            )
    return found


def deploy(planner: Planner, service: str, environment: str, **extra: Any) -> tuple[int, Any]:
    body = {"service": service, "version": COMMIT, "environment": environment, "repoUrl": REPO} | extra
    return call(planner, "POST", "/deploy", body)


def test_a_dev_canary_deploy_is_accepted_dispatched_and_readable(
    planner: Planner, empty_queues: dict[str, str], aws_clients: Any
) -> None:
    # Given / When a canary deployment to dev is requested
    status, accepted = deploy(planner, "canary-api", "dev", strategy="canary")
    # Then it is accepted, its task carries the strategy and the gate, and its history reads back
    assert status == 202, accepted
    assert accepted["status"] == "in_progress"
    assert accepted["deploymentId"].startswith("dep-")
    [task] = [
        m["detail"] for m in deployment_queue(aws_clients, empty_queues) if m["detail-type"] == "task.created"
    ]
    assert task["parameters"]["strategy"] == "canary"
    assert task["config"]["gate"]["slo"]["requests"] == 20
    status, one = call(planner, "GET", f"/deployments/{accepted['deploymentId']}")
    assert status == 200
    assert (one["status"], one["strategy"], one["version"]) == ("requested", "canary", COMMIT)
    status, listed = call(planner, "GET", "/deployments", query={"service": "canary-api"})
    assert [d["deploymentId"] for d in listed["deployments"]] == [accepted["deploymentId"]]
    assert listed["deployments"][0]["expiresAt"] > 0


def test_a_prod_deploy_waits_for_an_authorised_approval_then_runs(
    planner: Planner, empty_queues: dict[str, str], aws_clients: Any
) -> None:
    # Given a production deployment request
    status, accepted = deploy(planner, "prod-api", "prod")
    assert status == 202
    assert accepted["status"] == "awaiting_approval"
    types = [m["detail-type"] for m in deployment_queue(aws_clients, empty_queues)]
    assert "task.created" not in types
    status, pending = call(planner, "GET", "/approvals")
    assert accepted["approvalId"] in [a["approvalId"] for a in pending["approvals"]]

    # When someone outside the approvers group tries to approve
    status, refused = call(
        planner,
        "POST",
        f"/approvals/{accepted['approvalId']}",
        {"decision": "approve", "comment": "me"},
        claims={"sub": "dev@example.com"},
    )
    # Then it is refused
    assert status == 403
    assert "deploy-approvers" in refused["message"]

    # When an approver approves with a comment
    status, approved = call(
        planner,
        "POST",
        f"/approvals/{accepted['approvalId']}",
        {"decision": "approve", "comment": "change ticket CHG-1"},
        claims=APPROVER,
    )
    # Then the approval is recorded and audited, the workflow runs, and the deployment task is sent
    assert status == 200, approved
    assert (approved["status"], approved["decidedBy"]) == ("approved", "lead@example.com")
    assert [e["action"] for e in approved["audit"]] == ["requested", "approved"]
    status, workflow = call(planner, "GET", f"/workflows/{accepted['workflowId']}")
    assert workflow["status"] == "in_progress"
    types = [m["detail-type"] for m in deployment_queue(aws_clients, empty_queues)]
    assert {"task.created", "approval.decided"} <= set(types)
    _, one = call(planner, "GET", f"/deployments/{accepted['deploymentId']}")
    assert [h["status"] for h in one["history"]] == ["awaiting_approval", "approved"]


def test_a_rejected_prod_deploy_fails_with_the_comment_and_cannot_be_approved_after(
    planner: Planner, empty_queues: dict[str, str]
) -> None:
    _, accepted = deploy(planner, "reject-api", "prod")
    path = f"/approvals/{accepted['approvalId']}"
    status, rejected = call(
        planner, "POST", path, {"decision": "reject", "comment": "freeze week"}, claims=APPROVER
    )
    assert status == 200
    assert rejected["status"] == "rejected"
    _, workflow = call(planner, "GET", f"/workflows/{accepted['workflowId']}")
    assert workflow["status"] == "failed"
    assert "rejected by lead@example.com: freeze week" in workflow["reason"]
    status, again = call(planner, "POST", path, {"decision": "approve", "comment": "oops"}, claims=APPROVER)
    assert status == 409
    assert "rejected" in again["message"]


def test_the_repository_defaults_to_the_last_deployment_and_bad_input_names_the_field(
    planner: Planner, empty_queues: dict[str, str]
) -> None:
    deploy(planner, "known-api", "dev")
    status, _accepted = call(
        planner, "POST", "/deploy", {"service": "known-api", "version": COMMIT, "environment": "dev"}
    )
    assert status == 202
    status, unknown = call(
        planner, "POST", "/deploy", {"service": "never-deployed", "version": COMMIT, "environment": "dev"}
    )
    assert status == 422
    assert unknown["errors"][0]["field"] == "repoUrl"
    status, bad = call(
        planner,
        "POST",
        "/deploy",
        {"service": "known-api", "version": "no-such-branch", "environment": "dev"},
    )
    assert status == 422
    assert bad["errors"][0]["field"] == "version"
    assert call(planner, "GET", "/deployments/dep-unknown")[0] == 404
    assert (
        call(
            planner,
            "POST",
            "/approvals/apr-unknown",
            {"decision": "approve", "comment": "x"},
            claims=APPROVER,
        )[0]
        == 404
    )


def test_a_remediation_approval_is_decided_and_sent_to_the_remediation_agent(
    planner: Planner, empty_queues: dict[str, str], aws_clients: Any, aws_settings: Any
) -> None:
    # Given a pending remediation approval (as the remediation agent stores it)
    store = DynamoDBApprovalStore(aws_clients.client("dynamodb"), aws_settings.name("approvals"))
    now = datetime.now(UTC)
    approval = store.request(
        Approval(
            approval_id=f"apr-rem-{uuid.uuid4().hex[:8]}",
            kind="remediation",
            subject="act-1",
            workflow_id="wf-x",
            service="orders-api",
            environment="prod",
            digest=digest_of(action="rollback"),
            summary="roll back",
            requested_by="remediation-policy",
            requested_at=now,
            expires_at=now + timedelta(hours=1),
        )
    )
    # When an approver approves it
    status, decided = call(
        planner,
        "POST",
        f"/approvals/{approval.approval_id}",
        {"decision": "approve", "comment": "ok"},
        claims=APPROVER,
    )
    # Then it is approved, and approval.decided goes to remediation-events (not to the deployment worker)
    assert status == 200, decided
    assert decided["status"] == "approved"
    sqs = aws_clients.client("sqs")
    messages = sqs.receive_message(
        QueueUrl=empty_queues["remediation-events"], MaxNumberOfMessages=10, WaitTimeSeconds=1
    ).get("Messages", [])
    decided_events = [json.loads(m["Body"]) for m in messages]
    assert any(
        e["detail-type"] == "approval.decided" and e["detail"]["approval_id"] == approval.approval_id
        for e in decided_events
    )
    assert not [
        m for m in deployment_queue(aws_clients, empty_queues) if m["detail-type"] == "approval.decided"
    ]
