"""`agentic approvals` and `agentic deploy` against a local HTTP server: requests sent, errors shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from agentic_cli.main import main
from agentic_local.auth import LocalVerifier, ensure_signing_key
from pytest_httpserver import HTTPServer

APPROVAL = {
    "approvalId": "apr-wf-1",
    "kind": "deployment",
    "service": "orders-api",
    "environment": "prod",
    "requestedBy": "dev@example.com",
    "expiresAt": "2026-01-02T00:00:00+00:00",
    "summary": "deploy",
    "digest": "a" * 64,
    "status": "approved",
    "decidedBy": "lead@example.com",
    "comment": "go",
}


@pytest.fixture
def api(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    monkeypatch.setenv("AGENTIC_API_URL", httpserver.url_for("/"))
    monkeypatch.setenv("AGENTIC_TOKEN", "t0ken")
    return httpserver


def test_approve_posts_the_decision_and_comment_with_the_bearer_token(
    api: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    api.expect_request(
        "/approvals/apr-wf-1",
        method="POST",
        headers={"Authorization": "Bearer t0ken"},
        json={"decision": "approve", "comment": "go"},
    ).respond_with_json(APPROVAL)
    assert main(["approvals", "approve", "apr-wf-1", "--comment", "go"]) == 0
    assert "apr-wf-1 is approved by lead@example.com: go" in capsys.readouterr().out
    api.check_assertions()


def test_a_refused_decision_is_shown_with_the_reason(
    api: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    api.expect_request("/approvals/apr-wf-1", method="POST").respond_with_json(
        {"error": "forbidden", "message": "dev@example.com may not decide approvals"}, status=403
    )
    assert main(["approvals", "reject", "apr-wf-1", "--comment", "no"]) == 2
    assert "403 forbidden: dev@example.com may not decide approvals" in capsys.readouterr().err


def test_list_shows_pending_approvals_of_a_kind(api: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    api.expect_request("/approvals", method="GET", query_string="kind=deployment").respond_with_json(
        {"approvals": [APPROVAL | {"status": "pending"}]}
    )
    assert main(["approvals", "list", "--kind", "deployment"]) == 0
    assert "apr-wf-1  deployment  orders-api" in capsys.readouterr().out


def test_deploy_start_posts_the_reference_shape(api: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    body = {
        "service": "orders-api",
        "version": "abcdef1",
        "environment": "prod",
        "strategy": "canary",
        "repoUrl": "file:///srv/git/orders.git",
    }
    api.expect_request("/deploy", method="POST", json=body).respond_with_json(
        {
            "deploymentId": "dep-1",
            "workflowId": "wf-1",
            "status": "awaiting_approval",
            "approvalId": "apr-wf-1",
        },
        status=202,
    )
    assert (
        main(
            [
                "deploy",
                "start",
                "orders-api",
                "abcdef1",
                "--env",
                "prod",
                "--strategy",
                "canary",
                "--repo",
                "file:///srv/git/orders.git",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "dep-1 awaiting_approval (workflow wf-1)" in out
    assert "agentic approvals approve apr-wf-1" in out


def test_an_approval_that_needs_more_approvers_is_shown_as_still_pending(
    api: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an approval whose rule needs two distinct approvers, approved once
    partial = APPROVAL | {
        "status": "pending",
        "decidedBy": None,
        "approvedBy": ["lead@example.com"],
        "rule": {"approversRequired": 2, "requesterMayApprove": False, "text": "2 distinct approvers"},
    }
    api.expect_request("/approvals/apr-wf-1", method="POST").respond_with_json(partial)
    # When one approver approves
    assert main(["approvals", "approve", "apr-wf-1", "--comment", "go"]) == 0
    # Then the CLI says it is still pending and how far it is
    out = capsys.readouterr().out
    assert "still pending" in out
    assert "approved by lead@example.com (1 of 2)" in out


def test_workflow_create_leaves_the_requester_to_the_token(api: HTTPServer) -> None:
    # Given / When a workflow is created without --requested-by
    api.expect_request(
        "/workflows",
        method="POST",
        json={"template": "deploy", "parameters": {"environment": "dev"}},
    ).respond_with_json({"workflowId": "wf-1", "status": "in_progress", "tasks": []}, status=201)
    assert main(["workflow", "create", "--template", "deploy", "--param", "environment=dev", "--json"]) == 0
    # Then the body names no requester: the API takes the token's subject
    api.check_assertions()


def test_the_token_command_puts_groups_in_the_groups_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a local home with the key `agentic up` made / When a token is issued for a reviewer
    ensure_signing_key(tmp_path)
    monkeypatch.setenv("AGENTIC_HOME", str(tmp_path))
    assert main(["token", "--subject", "lead@agentic.local", "--group", "deploy-approvers"]) == 0
    # Then the local verifier accepts it and reads the subject and the group
    claims = LocalVerifier(tmp_path).verify("Bearer " + capsys.readouterr().out.strip())
    assert (claims["sub"], claims["groups"]) == ("lead@agentic.local", ["deploy-approvers"])
