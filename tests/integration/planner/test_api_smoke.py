"""The planner API against the local AWS: create, read, list, errors, idempotency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event

VALID = {
    "requestedBy": "dev@example.com",
    "template": "microservice-rest-api",
    "parameters": {"serviceName": "user-service", "language": "python", "environment": "staging"},
}


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings, tmp_path: Path) -> Planner:
    settings = PlannerSettings(
        agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
    )
    return build(settings)


def call(planner: Planner, *args, **kwargs) -> tuple[int, dict, dict]:
    response = planner.handle_api(api_event(*args, **kwargs), None)
    return response["statusCode"], json.loads(response["body"] or "{}"), response.get("headers", {})


def test_creating_a_workflow_returns_201_with_location_and_tasks(planner: Planner) -> None:
    # Given a valid request / When it is posted
    status, body, headers = call(planner, "POST", "/workflows", VALID)
    # Then
    assert status == 201, body
    assert headers["Location"] == f"/workflows/{body['workflowId']}"
    assert body["status"] == "in_progress"
    assert [t["taskId"] for t in body["tasks"]] == ["codegen", "policy", "deploy", "verify"]
    codegen = next(t for t in body["tasks"] if t["taskId"] == "codegen")
    assert codegen["status"] == "running"
    assert codegen["attempt"] == 1
    status, fetched, _ = call(planner, "GET", f"/workflows/{body['workflowId']}")
    assert status == 200
    assert fetched["workflowId"] == body["workflowId"]


def test_unknown_template_is_400_listing_known_templates(planner: Planner) -> None:
    status, body, _ = call(planner, "POST", "/workflows", {**VALID, "template": "nope"})
    assert status == 400
    assert "microservice-rest-api" in body["knownTemplates"]


def test_invalid_parameters_are_422_naming_each_field(planner: Planner) -> None:
    bad = {**VALID, "parameters": {"serviceName": "Bad_Name", "language": "cobol"}}
    status, body, _ = call(planner, "POST", "/workflows", bad)
    assert status == 422
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"parameters.serviceName", "parameters.language", "parameters.environment"}


def test_health_needs_no_token_but_workflows_do(planner: Planner) -> None:
    assert call(planner, "GET", "/health", claims={})[0] == 200
    status, body, _ = call(planner, "GET", "/workflows", claims={})
    assert status == 401
    assert "Bearer" in body["message"]


def test_same_idempotency_key_and_body_returns_same_workflow_other_body_409(planner: Planner) -> None:
    first = call(planner, "POST", "/workflows", VALID, headers={"idempotency-key": "k-1"})
    again = call(planner, "POST", "/workflows", VALID, headers={"idempotency-key": "k-1"})
    other = call(
        planner,
        "POST",
        "/workflows",
        {**VALID, "parameters": {**VALID["parameters"], "serviceName": "other-service"}},
        headers={"idempotency-key": "k-1"},
    )
    assert first[0] == again[0] == 201
    assert first[1]["workflowId"] == again[1]["workflowId"]
    assert other[0] == 409


def test_listing_by_status_is_paginated(planner: Planner) -> None:
    for _ in range(3):
        call(planner, "POST", "/workflows", VALID)
    status, page, _ = call(planner, "GET", "/workflows", query={"status": "in_progress", "limit": "2"})
    assert status == 200
    assert len(page["workflows"]) == 2
    assert page["nextCursor"]
    status, rest, _ = call(
        planner,
        "GET",
        "/workflows",
        query={"status": "in_progress", "limit": "2", "cursor": page["nextCursor"]},
    )
    assert status == 200
    assert rest["workflows"]
    assert not {w["workflowId"] for w in rest["workflows"]} & {w["workflowId"] for w in page["workflows"]}


def test_openapi_document_is_served(planner: Planner) -> None:
    status, doc, _ = call(planner, "GET", "/openapi.json")
    assert status == 200
    assert "/workflows" in doc["paths"]
