"""A service name belongs to one service: another language or pattern under the same name is a 409.

The same request again stays the idempotent path; `replace: true` or the upgrade template moves the
name. The names are kept in the planner's table on the local AWS (conditional writes).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path) -> Planner:
    return build(
        PlannerSettings(
            agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )


def create(
    planner: Planner, service: str, template: str = "microservice-rest-api", **extra: Any
) -> tuple[int, dict[str, Any]]:
    replace = extra.pop("replace", None)
    body: dict[str, Any] = {"template": template, "parameters": {"serviceName": service, **extra}}
    if template == "microservice-rest-api":
        body["parameters"].setdefault("environment", "dev")
    if replace is not None:
        body["replace"] = replace
    response = planner.handle_api(api_event("POST", "/workflows", body), None)
    return response["statusCode"], json.loads(response["body"])


@pytest.fixture
def service() -> str:
    return f"names-{uuid.uuid4().hex[:8]}"


def test_another_language_under_an_existing_name_is_409_naming_the_existing_service(
    planner: Planner, service: str
) -> None:
    # Given a python service
    status, first = create(planner, service, language="python")
    assert status == 201, first

    # When the same name is asked for in node
    status, body = create(planner, service, language="node")

    # Then it is refused, naming what holds the name and the ways to change it
    assert status == 409, body
    assert body["existing"] == {
        "serviceName": service,
        "language": "python",
        "pattern": "rest",
        "workflowId": first["workflowId"],
    }
    assert body["errors"][0]["field"] == "parameters.serviceName"
    assert "service-upgrade" in body["message"]
    assert '"replace": true' in body["message"]


def test_another_pattern_under_an_existing_name_is_409(planner: Planner, service: str) -> None:
    # Given a REST service
    assert create(planner, service, language="go")[0] == 201

    # When the same name is asked for as an event consumer
    status, body = create(planner, service, language="go", pattern="event")

    # Then
    assert status == 409, body
    assert (body["existing"]["language"], body["existing"]["pattern"]) == ("go", "rest")


def test_the_same_request_again_is_accepted_as_before(planner: Planner, service: str) -> None:
    # Given a node service (spelled nodejs the second time: the same service)
    first = create(planner, service, language="node")

    # When the request is sent again
    again = create(planner, service, language="nodejs")

    # Then both are accepted, each a workflow of its own (the second one opens a merge request)
    assert (first[0], again[0]) == (201, 201), again
    assert first[1]["workflowId"] != again[1]["workflowId"]


def test_replace_true_moves_the_name_to_the_new_language(planner: Planner, service: str) -> None:
    # Given a python service
    assert create(planner, service, language="python")[0] == 201

    # When node is asked for with replace: true
    status, body = create(planner, service, language="node", replace=True)

    # Then it is accepted, and from now on the name is the node service
    assert status == 201, body
    status, refused = create(planner, service, language="python")
    assert status == 409
    assert refused["existing"]["language"] == "node"


def test_the_upgrade_template_moves_the_name(planner: Planner, service: str) -> None:
    # Given a python service
    assert create(planner, service, language="python")[0] == 201

    # When it is upgraded as a node service
    status, body = create(planner, service, template="service-upgrade", language="node")

    # Then the upgrade runs and the name now holds node
    assert status == 201, body
    assert create(planner, service, language="node")[0] == 201
    assert create(planner, service, language="python")[0] == 409
