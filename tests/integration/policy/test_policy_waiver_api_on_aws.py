"""The governed waiver flow through the policy API as bootstrap builds it, on the local AWS (DynamoDB).

Approvers come from the settings (``POLICY_APPROVERS``) and the token's groups; identity is the token's.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from agentic_common.settings import CommonSettings
from agentic_policy.bootstrap import build_api
from agentic_policy.settings import PolicySettings
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

LEAD = {"sub": "lead@example.com"}  # listed in POLICY_APPROVERS
REVIEWER = {"sub": "reviewer@example.com", "groups": "[policy-approvers]"}
STRANGER = {"sub": "stranger@example.com", "groups": "[team-orders]"}


def event(method: str, path: str, claims: dict[str, Any], body: Any = None) -> dict[str, Any]:
    return {
        "version": "2.0",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {},
        "requestContext": {
            "http": {"method": method, "path": path},
            "requestId": "r",
            "stage": "$default",
            "authorizer": {"jwt": {"claims": claims, "scopes": []}},
        },
        "isBase64Encoded": False,
        "body": None if body is None else json.dumps(body),
    }


@pytest.fixture
def api(aws_settings: CommonSettings, queue_urls: dict[str, str], tmp_path: Path) -> APIGatewayHttpResolver:
    settings = PolicySettings(
        agentic_env="test",
        aws_endpoint_url=aws_settings.aws_endpoint_url,
        agentic_home=tmp_path / "agentic-home",
        policy_approvers="lead@example.com",
    )
    return build_api(settings)


def call(api: APIGatewayHttpResolver, *args: Any) -> tuple[int, dict[str, Any]]:
    response = api.resolve(event(*args), None)
    return response["statusCode"], json.loads(response["body"])


def test_a_prod_waiver_needs_an_approver_and_a_second_person_and_then_shows_on_the_decision(
    api: APIGatewayHttpResolver,
) -> None:
    # Given a repository of its own (the local AWS is shared by the tests)
    repository = f"orders-{uuid.uuid4().hex[:8]}"
    waiver = {
        "rule": "DOCKER-001",
        "repository": repository,
        "owner": "team-orders",
        "reason": "pinned by digest in the next release",
        "expires_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
    }

    # When someone outside the owning group and the approvers asks / Then 403
    assert call(api, "POST", "/policy/waivers", STRANGER, waiver)[0] == 403

    # When the lead (POLICY_APPROVERS) asks / Then it is stored pending, and cannot be self-approved
    status, created = call(api, "POST", "/policy/waivers", LEAD, waiver)
    assert (status, created["status"]) == (202, "pending")
    approve = f"/policy/waivers/{created['waiver_id']}/approve"
    assert call(api, "POST", approve, LEAD)[1]["error"] == "four_eyes"

    # When a reviewer of the approver group approves / Then it is active, and a second approval conflicts
    status, approved = call(api, "POST", approve, REVIEWER)
    assert (status, approved["approved_by"]) == (200, "reviewer@example.com")
    assert call(api, "POST", approve, REVIEWER)[0] == 409

    # And a prod validation of python:latest waives DOCKER-001 and its decision names the waiver
    dockerfile = 'FROM python:latest\nUSER 10001\nHEALTHCHECK CMD ["true"]\nCMD ["python", "app.py"]\n'
    body = {"type": "dockerfile", "content": dockerfile, "subject": repository, "environment": "prod"}
    status, validation = call(api, "POST", "/policy/validate", STRANGER, body)
    assert status == 200
    assert "DOCKER-001" in {v["rule"] for v in validation["waived"]}
    _, decision = call(api, "GET", f"/policy/decisions/{validation['decisionId']}", STRANGER)
    assert [(w["created_by"], w["approved_by"]) for w in decision["waivers"]] == [
        ("lead@example.com", "reviewer@example.com")
    ]
    waived = [f for f in decision["findings"] if f["rule"] == "DOCKER-001"]
    assert [f["waiver"]["approved_by"] for f in waived] == ["reviewer@example.com"]
    _, stored = call(api, "GET", f"/policy/waivers/{created['waiver_id']}", STRANGER)
    assert [(e["action"], e["by"]) for e in stored["audit"]] == [
        ("created", "lead@example.com"),
        ("approved", "reviewer@example.com"),
    ]
