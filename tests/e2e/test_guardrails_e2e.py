"""Guardrails on the whole local stack, over HTTP with real tokens: identity from the token, prod approval.

The golden path to prod: codegen and policy (prod: strict) run for real, then the workflow waits for a
person; the requester (a listed approver locally) is refused by the four-eyes rule; a second person
from the approvers group approves, and the service is deployed and verified.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from agentic_local.auth import issue_token

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.slow

PROD = {"serviceName": "guarded-api", "language": "python", "environment": "prod"}


@pytest.fixture
def reviewer(stack: RunningStack) -> Iterator[httpx.Client]:
    token = issue_token(stack.home, subject="reviewer@agentic.local", groups=["deploy-approvers"])
    with httpx.Client(
        base_url=stack.api_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        yield client


def test_a_body_requester_other_than_the_token_subject_is_refused(stack: RunningStack) -> None:
    body = {"requestedBy": "user@example.com", "template": "microservice-rest-api", "parameters": PROD}
    response = stack.client.post("/workflows", json=body)
    assert response.status_code == 403
    assert "'user@example.com'" in response.json()["message"]
    assert "'developer@agentic.local'" in response.json()["message"]


def test_a_prod_golden_path_waits_for_a_second_person_then_deploys(
    stack: RunningStack, reviewer: httpx.Client
) -> None:
    # Given a prod workflow requested with the developer's token
    created = stack.create(PROD)
    assert created["requestedBy"] == "developer@agentic.local"
    waiting = stack.wait_until(created["workflowId"], lambda w: w["status"] != "in_progress")

    # Then after codegen and policy it waits, the deploy task not started, under the prod rule
    assert waiting["status"] == "awaiting_approval", waiting.get("reason")
    assert {t["taskId"]: t["status"] for t in waiting["tasks"]}["deploy"] == "pending"
    path = f"/approvals/apr-{created['workflowId']}"
    approval = stack.client.get(path).json()
    assert approval["rule"]["text"] == "1 approver, not the requester (four eyes)"

    # When the requester approves their own deploy / Then it is refused, naming the rule
    mine = stack.client.post(path, json={"decision": "approve", "comment": "mine"})
    assert mine.status_code == 403
    assert mine.json()["error"] == "four_eyes"

    # When a reviewer from the approvers group approves
    approved = reviewer.post(path, json={"decision": "approve", "comment": "CHG-42"})
    assert approved.status_code == 200, approved.text
    # Then the audit names both people and the digest, and the workflow deploys and verifies
    assert [(e["action"], e["actor"]) for e in approved.json()["audit"]] == [
        ("requested", "developer@agentic.local"),
        ("approved", "reviewer@agentic.local"),
    ]
    final = stack.wait_for_end(created["workflowId"])
    assert final["status"] == "completed", final.get("reason")
