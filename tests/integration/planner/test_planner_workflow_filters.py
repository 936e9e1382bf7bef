"""GET /workflows narrowed by template, service and requester (besides status), on the local AWS."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from agentic_common.state import WorkflowRecord
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MINUTES = itertools.count()  # each seeded workflow one minute after the one before


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path) -> Planner:
    return build(
        PlannerSettings(
            agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )


def seed(planner: Planner, n: int, template: str, requester: str, **parameters: Any) -> list[str]:
    """``n`` in-progress workflows, each newer than any seeded before; their ids, newest first."""
    ids = []
    for _ in range(n):
        at = START + timedelta(minutes=next(MINUTES))
        workflow = WorkflowRecord(
            workflow_id=f"wf-{uuid.uuid4().hex[:12]}",
            template=template,
            parameters=parameters,
            requested_by=requester,
            created_at=at,
            updated_at=at,
        )
        planner.service.store.create_workflow(workflow, [])
        ids.append(workflow.workflow_id)
    return ids[::-1]


def listed(planner: Planner, **query: str) -> tuple[int, dict[str, Any]]:
    response = planner.handle_api(api_event("GET", "/workflows", query=query), None)
    return response["statusCode"], json.loads(response["body"])


def test_the_requester_filter_lists_only_that_persons_workflows(planner: Planner) -> None:
    # Given two people's workflows
    me, other = f"user:{uuid.uuid4().hex[:8]}", f"user:{uuid.uuid4().hex[:8]}"
    mine = seed(planner, 2, "deploy", me, service="orders")
    seed(planner, 2, "deploy", other, service="orders")

    # When one of them lists by requester
    status, body = listed(planner, requester=me)

    # Then only their workflows come back, newest first
    assert status == 200, body
    assert [w["workflowId"] for w in body["workflows"]] == mine
    assert {w["requestedBy"] for w in body["workflows"]} == {me}


def test_the_service_filter_matches_a_new_service_and_a_deployment_of_it(planner: Planner) -> None:
    # Given a new service and a deployment of it, and a workflow of another service, by one requester
    who, name = f"user:{uuid.uuid4().hex[:8]}", f"svc-{uuid.uuid4().hex[:8]}"
    deployed = seed(planner, 1, "deploy", who, service=name)
    created = seed(planner, 1, "microservice-rest-api", who, serviceName=name)
    seed(planner, 1, "deploy", who, service="another-service")

    # When listing that requester's workflows of the service
    status, body = listed(planner, service=name, requester=who)

    # Then both workflows of that service come back, and nothing else
    assert status == 200, body
    assert sorted(w["workflowId"] for w in body["workflows"]) == sorted(deployed + created)


def test_the_template_filter_lists_only_that_templates_workflows(planner: Planner) -> None:
    # Given one requester's workflows of two templates
    who = f"user:{uuid.uuid4().hex[:8]}"
    deploys = seed(planner, 2, "deploy", who, service="orders")
    seed(planner, 2, "microservice-rest-api", who, serviceName="orders")

    # When listing by template
    status, body = listed(planner, template="deploy", requester=who)

    # Then only that template's workflows come back
    assert status == 200, body
    assert [w["workflowId"] for w in body["workflows"]] == deploys


def test_paging_a_filtered_list_returns_every_match_once_in_order(planner: Planner) -> None:
    # Given seven matching workflows interleaved with non-matching ones of the same requester
    who = f"user:{uuid.uuid4().hex[:8]}"
    matching, others = [], []
    for _ in range(7):
        matching += seed(planner, 1, "deploy", who, service="orders")
        others += seed(planner, 2, "microservice-rest-api", who, serviceName="orders")

    # When paging through them three at a time
    seen: list[str] = []
    query = {"template": "deploy", "requester": who, "limit": "3"}
    for _ in range(10):
        status, body = listed(planner, **query)
        assert status == 200, body
        seen += [w["workflowId"] for w in body["workflows"]]
        if body["nextCursor"] is None:
            break
        query["cursor"] = body["nextCursor"]

    # Then every match comes back once, newest first, and no other workflow
    assert seen == matching[::-1]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("template", "no-such-template"),
        ("template", "Deploy!"),
        ("service", "X"),
        ("service", "a" * 64),
        ("requester", "two words"),
        ("requester", "ab"),
    ],
)
def test_an_invalid_filter_is_422_naming_the_field(planner: Planner, field: str, value: str) -> None:
    # Given / When a filter with a value no workflow could have
    status, body = listed(planner, **{field: value})

    # Then the caller is told which query parameter is wrong (named as the API names query fields)
    assert status == 422, body
    assert [e["field"] for e in body["errors"]] == [f"query.{field}"]
