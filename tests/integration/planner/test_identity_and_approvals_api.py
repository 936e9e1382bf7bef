"""Identity from the token and approval rules through the planner's API, on the local AWS (moto)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from agentic_planner.bootstrap import Planner, build
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.logic.catalogue_models import Template
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event
from tests.integration.planner.git_repos import published

DEPLOY: dict[str, str] = {"service": "ident-api"}  # + repoUrl and version: the fixture publishes them
DEV = {"sub": "developer@agentic.local", "email": "developer@agentic.local"}
LEAD = {"sub": "lead@example.com", "groups": ["deploy-approvers"]}
SRE = {"sub": "sre@example.com", "groups": ["deploy-approvers"]}
BACKSTAGE = {"sub": "backstage-backend"}


@pytest.fixture
def planner(
    queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Planner:
    monkeypatch.setenv("AGENTIC_SERVICE_PRINCIPALS", "backstage-backend")
    monkeypatch.setenv("AGENTIC_APPROVER_GROUP", "deploy-approvers,group:default/platform-approvers")
    repo_url, commit = published(tmp_path, "ident-api")
    monkeypatch.setitem(DEPLOY, "repoUrl", repo_url)
    monkeypatch.setitem(DEPLOY, "version", commit)
    return build(
        PlannerSettings(
            agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )


def call(planner: Planner, method: str, path: str, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
    response = planner.handle_api(api_event(method, path, body, **kwargs), None)
    return response["statusCode"], json.loads(response["body"] or "{}")


def create(planner: Planner, environment: str, claims: dict[str, Any], **body: Any) -> tuple[int, Any]:
    request = {"template": "deploy", "parameters": DEPLOY | {"environment": environment}} | body
    return call(planner, "POST", "/workflows", request, claims=claims)


def decide(
    planner: Planner, workflow_id: str, claims: dict[str, Any], comment: str = "ok"
) -> tuple[int, Any]:
    body = {"decision": "approve", "comment": comment}
    return call(planner, "POST", f"/approvals/apr-{workflow_id}", body, claims=claims)


def test_the_requester_is_the_tokens_subject(planner: Planner) -> None:
    status, created = create(planner, "dev", DEV)
    assert status == 201
    assert (created["requestedBy"], created["via"]) == ("developer@agentic.local", None)


def test_a_body_requester_that_differs_from_the_token_is_refused_naming_both(planner: Planner) -> None:
    status, refused = create(planner, "dev", DEV, requestedBy="user@example.com")
    assert status == 403
    assert refused["error"] == "identity_mismatch"
    assert "'user@example.com'" in refused["message"]
    assert "'developer@agentic.local'" in refused["message"]
    assert refused["errors"][0]["field"] == "requestedBy"


def test_deploy_refuses_a_body_requester_that_differs_from_the_token(planner: Planner) -> None:
    body = DEPLOY | {"environment": "dev", "requestedBy": "user@example.com"}
    status, refused = call(planner, "POST", "/deploy", body, claims=DEV)
    assert (status, refused["error"]) == (403, "identity_mismatch")


def test_a_service_principal_acts_for_a_user_and_both_are_recorded(planner: Planner) -> None:
    # Given the Backstage backend's token, asking for jane
    status, created = create(planner, "prod", BACKSTAGE, requestedBy="user:default/jane")
    # Then jane is the requester, Backstage is recorded as via, on the workflow and on its approval
    assert status == 201, created
    assert (created["requestedBy"], created["via"]) == ("user:default/jane", "backstage-backend")
    _, approval = call(planner, "GET", f"/approvals/apr-{created['workflowId']}", claims=LEAD)
    assert (approval["requestedBy"], approval["via"]) == ("user:default/jane", "backstage-backend")


def test_a_service_principal_cannot_decide_approvals(planner: Planner) -> None:
    _, created = create(planner, "prod", DEV)
    status, refused = decide(planner, created["workflowId"], BACKSTAGE | {"groups": ["deploy-approvers"]})
    assert status == 403
    assert "service principal" in refused["message"]


def test_an_approver_group_from_backstages_ent_claim_may_approve(planner: Planner) -> None:
    # Given a prod deploy requested by the developer
    _, created = create(planner, "prod", DEV)
    # When a Backstage user whose ent claim lists the platform-approvers group approves
    backstage_user = {
        "sub": "user:default/lead",
        "ent": ["user:default/lead", "group:default/platform-approvers"],
    }
    status, approved = decide(planner, created["workflowId"], backstage_user)
    # Then the approval is granted by that user
    assert status == 200, approved
    assert approved["decidedBy"] == "user:default/lead"


def test_someone_in_no_approver_group_is_refused_naming_the_groups(planner: Planner) -> None:
    _, created = create(planner, "prod", DEV)
    status, refused = decide(planner, created["workflowId"], {"sub": "dev2@example.com", "groups": ["devs"]})
    assert status == 403
    assert "'deploy-approvers' or 'group:default/platform-approvers'" in refused["message"]


def test_a_template_asking_two_approvers_in_staging_needs_two_distinct_people(planner: Planner) -> None:
    # Given a template whose deploy task asks for two approvers in staging (stricter than the table)
    deploy = Catalogue.load().get("deploy").model_dump()
    deploy["name"] = "deploy-two-approvers"
    deploy["tasks"][0]["config"]["approval"] = {"environments": ["staging"], "approvers": 2}
    catalogue = Catalogue.load()
    planner.service.catalogue = Catalogue(
        {n: catalogue.get(n) for n in catalogue.names}
        | {"deploy-two-approvers": Template.model_validate(deploy)}
    )
    _, created = create(planner, "staging", DEV, template="deploy-two-approvers")
    workflow_id = created["workflowId"]
    assert created["status"] == "awaiting_approval"

    # When the first approver approves / Then the approval is pending and the workflow still waits
    status, first = decide(planner, workflow_id, LEAD)
    assert (status, first["status"], first["rule"]["approversRequired"]) == (200, "pending", 2)
    assert call(planner, "GET", f"/workflows/{workflow_id}", claims=DEV)[1]["status"] == "awaiting_approval"
    # When the same approver approves again / Then it does not count twice
    status, again = decide(planner, workflow_id, LEAD)
    assert (status, again["error"]) == (409, "already_approved_by_you")
    # When a second approver approves / Then it is approved by both and the workflow runs
    status, second = decide(planner, workflow_id, SRE)
    assert (second["status"], second["approvedBy"]) == ("approved", ["lead@example.com", "sre@example.com"])
    assert call(planner, "GET", f"/workflows/{workflow_id}", claims=DEV)[1]["status"] == "in_progress"


def test_the_sweep_fails_a_workflow_whose_approval_expired(planner: Planner) -> None:
    # Given approvals that expire at once, and a prod deploy waiting for one
    assert planner.service.gate is not None
    planner.service.gate.ttl = timedelta(0)
    _, created = create(planner, "prod", DEV)
    # When the scheduled sweep runs
    planner.service.sweep()
    # Then the workflow has failed, and the reason names the expired approval
    _, workflow = call(planner, "GET", f"/workflows/{created['workflowId']}", claims=DEV)
    assert workflow["status"] == "failed"
    assert f"apr-{created['workflowId']} is expired" in workflow["reason"]
