"""Waivers are governed (issue 18, finding 2): who may create one, four eyes for prod, audit, decisions.

Identity is always the token's (its ``sub`` and groups), never a body field.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_policy.adapters.memory.stores import InMemoryWaiverStore
from agentic_policy.api.app import ApiDeps, build_app
from agentic_policy.logic.service import PolicyService
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from policy_api_client import call, request

LATEST = 'FROM python:latest\nUSER 10001\nHEALTHCHECK CMD ["true"]\nCMD ["python", "app.py"]\n'
NOBODY = {"sub": "mallory@example.com"}  # authenticated, in no group


@pytest.fixture
def app(service: PolicyService, waivers: InMemoryWaiverStore) -> APIGatewayHttpResolver:
    return build_app(
        ApiDeps(
            service=service,
            waivers=waivers,
            artifacts=InMemoryArtifactStore(bucket="agentic-test-agent-artifacts"),
            artifacts_bucket="agentic-test-agent-artifacts",
        )
    )


def waiver_body(rule: str = "DOCKER-001", **fields: Any) -> dict[str, Any]:
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    body = {
        "rule": rule,
        "repository": "orders-api",
        "owner": "team-orders",
        "reason": "the base image is pinned by digest in the next release",
        "expires_at": expires,
    }
    return body | fields


def test_a_user_outside_the_rules_owning_group_and_the_approvers_cannot_waive_a_blocking_rule(
    app: APIGatewayHttpResolver,
) -> None:
    # Given an authenticated user who is neither a policy approver nor in DOCKER-001's owning group
    # When they ask to waive DOCKER-001 (blocks prod) for orders-api
    status, body = call(app, request("POST", "/policy/waivers", waiver_body(), claims=NOBODY))

    # Then it is refused with 403 saying why, and nothing is stored
    assert (status, body["error"]) == (403, "not_a_waiver_approver"), body
    assert "security-champions" in body["message"]
    assert "policy-approvers" in body["message"]
    _, listed = call(app, request("GET", "/policy/waivers", query={"repository": "orders-api"}))
    assert listed["waivers"] == []


def test_a_refused_waiver_leaves_the_latest_image_blocked_in_prod(app: APIGatewayHttpResolver) -> None:
    # Given a non-approver's attempt to waive DOCKER-001
    call(app, request("POST", "/policy/waivers", waiver_body(), claims=NOBODY))

    # When a python:latest Dockerfile of orders-api is validated for prod
    status, body = call(
        app,
        request(
            "POST",
            "/policy/validate",
            {"type": "dockerfile", "content": LATEST, "subject": "orders-api", "environment": "prod"},
        ),
    )

    # Then DOCKER-001 still blocks
    assert status == 200
    assert body["blocks"] is True
    assert "DOCKER-001" in {v["rule"] for v in body["violations"] if v["blocking"]}


ALICE_APPROVER = {"sub": "alice@example.com", "groups": "[policy-approvers]"}
BOB_APPROVER = {"sub": "bob@example.com", "groups": ["policy-approvers"]}
CAROL_OWNER = {"sub": "carol@example.com", "ent": ["group:default/security-champions"]}
DAN_PLATFORM = {"sub": "dan@example.com", "groups": ["platform-team"]}


def validate_latest(app: APIGatewayHttpResolver, environment: str = "prod") -> dict[str, Any]:
    status, body = call(
        app,
        request(
            "POST",
            "/policy/validate",
            {"type": "dockerfile", "content": LATEST, "subject": "orders-api", "environment": environment},
        ),
    )
    assert status == 200, body
    return body


def test_a_member_of_the_rules_owning_group_may_request_a_waiver(app: APIGatewayHttpResolver) -> None:
    # Given carol, in security-champions (DOCKER-001's owning group), and not a policy approver
    # When she asks to waive DOCKER-001 for staging only
    status, body = call(
        app, request("POST", "/policy/waivers", waiver_body(environment="staging"), claims=CAROL_OWNER)
    )

    # Then it is created, active at once (staging needs no second person), owned by her group
    assert status == 201, body
    assert (body["status"], body["active"], body["created_by"]) == ("active", True, "carol@example.com")
    assert body["owning_group"] == "security-champions"


def test_a_member_of_another_group_may_not_waive_a_rule_it_does_not_own(app: APIGatewayHttpResolver) -> None:
    # Given dan, in platform-team (owner of operational rules, not of DOCKER-001's security category)
    # When he asks to waive DOCKER-001 / Then 403 names the owning group
    status, body = call(app, request("POST", "/policy/waivers", waiver_body(), claims=DAN_PLATFORM))
    assert (status, body["error"]) == (403, "not_a_waiver_approver")
    assert "'security-champions'" in body["message"]


def test_a_prod_waiver_of_a_blocking_rule_is_pending_and_does_not_apply_until_approved(
    app: APIGatewayHttpResolver,
) -> None:
    # Given a policy approver's waiver of DOCKER-001 (blocks prod) for every environment
    status, body = call(app, request("POST", "/policy/waivers", waiver_body(), claims=ALICE_APPROVER))

    # Then it is accepted as pending (four eyes) and python:latest still blocks in prod
    assert status == 202, body
    assert (body["status"], body["four_eyes"], body["active"]) == ("pending", True, False)
    assert "DOCKER-001" in {v["rule"] for v in validate_latest(app)["violations"] if v["blocking"]}


def test_the_requester_cannot_approve_their_own_prod_waiver(app: APIGatewayHttpResolver) -> None:
    # Given alice's pending waiver
    _, created = call(app, request("POST", "/policy/waivers", waiver_body(), claims=ALICE_APPROVER))

    # When alice approves it herself
    status, body = call(
        app, request("POST", f"/policy/waivers/{created['waiver_id']}/approve", claims=ALICE_APPROVER)
    )

    # Then 403 four_eyes, and it stays pending
    assert (status, body["error"]) == (403, "four_eyes")
    _, stored = call(app, request("GET", f"/policy/waivers/{created['waiver_id']}"))
    assert stored["status"] == "pending"


def test_a_non_approver_cannot_approve_someone_elses_prod_waiver(app: APIGatewayHttpResolver) -> None:
    _, created = call(app, request("POST", "/policy/waivers", waiver_body(), claims=ALICE_APPROVER))
    status, body = call(
        app, request("POST", f"/policy/waivers/{created['waiver_id']}/approve", claims=NOBODY)
    )
    assert (status, body["error"]) == (403, "not_a_waiver_approver")
    assert "may not approve a waiver of DOCKER-001" in body["message"]


def test_a_second_approver_activates_the_waiver_and_the_decision_shows_it(
    app: APIGatewayHttpResolver,
) -> None:
    # Given alice's pending prod waiver of DOCKER-001
    _, created = call(app, request("POST", "/policy/waivers", waiver_body(), claims=ALICE_APPROVER))

    # When bob, another approver, approves it
    status, approved = call(
        app, request("POST", f"/policy/waivers/{created['waiver_id']}/approve", claims=BOB_APPROVER)
    )
    assert status == 200, approved
    assert (approved["status"], approved["approved_by"]) == ("active", "bob@example.com")

    # Then DOCKER-001 is waived in prod, and the validation and its decision name the waiver
    body = validate_latest(app)
    assert "DOCKER-001" in {v["rule"] for v in body["waived"]}
    assert [(w["waiver_id"], w["created_by"], w["approved_by"]) for w in body["waivers"]] == [
        (created["waiver_id"], "alice@example.com", "bob@example.com")
    ]
    _, decision = call(app, request("GET", f"/policy/decisions/{body['decisionId']}"))
    assert decision["waivers"][0]["reason"] == waiver_body()["reason"]


def test_creation_and_approval_are_audited_with_who_when_rule_scope_reason_and_expiry(
    app: APIGatewayHttpResolver,
) -> None:
    # Given a waiver scoped to one resource in prod, requested by alice and approved by bob
    scoped = waiver_body(environment="prod", resource="Dockerfile")
    _, created = call(app, request("POST", "/policy/waivers", scoped, claims=ALICE_APPROVER))
    call(app, request("POST", f"/policy/waivers/{created['waiver_id']}/approve", claims=BOB_APPROVER))

    # When the waiver is read
    _, stored = call(app, request("GET", f"/policy/waivers/{created['waiver_id']}"))

    # Then its audit trail holds both acts with every field
    trail = [(e["action"], e["by"]) for e in stored["audit"]]
    assert trail == [("created", "alice@example.com"), ("approved", "bob@example.com")]
    for entry in stored["audit"]:
        assert entry["at"]
        assert (entry["rule"], entry["repository"], entry["resource"], entry["environment"]) == (
            "DOCKER-001",
            "orders-api",
            "Dockerfile",
            "prod",
        )
        assert entry["reason"] == scoped["reason"]
        assert entry["expires_at"].startswith(scoped["expires_at"][:10])


def test_the_body_cannot_name_who_created_the_waiver(app: APIGatewayHttpResolver) -> None:
    status, body = call(
        app,
        request("POST", "/policy/waivers", waiver_body(created_by="bob@example.com"), claims=ALICE_APPROVER),
    )
    assert (status, body["errors"][0]["field"]) == (422, "created_by")


def test_a_waiver_for_an_environment_the_table_does_not_declare_is_refused(
    app: APIGatewayHttpResolver,
) -> None:
    status, body = call(
        app, request("POST", "/policy/waivers", waiver_body(environment="production"), claims=ALICE_APPROVER)
    )
    assert (status, body["errors"][0]["field"]) == (422, "environment")
