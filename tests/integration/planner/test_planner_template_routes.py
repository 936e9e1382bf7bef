"""GET /templates and GET /templates/{name}: the catalogue's parameter schemas, for forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentic_planner.bootstrap import Planner, build
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.settings import PlannerSettings
from jsonschema import Draft7Validator

from tests.helpers import api_event


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings, tmp_path: Path) -> Planner:
    settings = PlannerSettings(
        agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
    )
    return build(settings)


def get(planner: Planner, path: str, claims: dict[str, str] | None = None) -> tuple[int, dict]:
    response = planner.handle_api(api_event("GET", path, claims=claims), None)
    return response["statusCode"], json.loads(response["body"] or "{}")


def test_templates_lists_every_catalogue_template_with_its_link(planner: Planner) -> None:
    # Given the catalogue / When the templates are listed
    status, body = get(planner, "/templates")
    # Then each template is there, in name order, with where to read its schema
    assert status == 200
    names = Catalogue.load().names
    assert [t["name"] for t in body["templates"]] == names
    assert [t["href"] for t in body["templates"]] == [f"/templates/{n}" for n in names]


def test_one_template_serves_the_schema_post_workflows_validates_against(planner: Planner) -> None:
    # Given the deploy template / When it is read
    status, body = get(planner, "/templates/deploy")
    # Then its parameters are the catalogue's schema itself
    assert status == 200
    assert body["parameters"] == Catalogue.load().get("deploy").parameters
    assert [t["taskId"] for t in body["tasks"]] == ["deploy"]


def test_the_form_schema_is_draft_07_with_a_title_on_every_field(planner: Planner) -> None:
    # Given the microservice template / When read
    _, body = get(planner, "/templates/microservice-rest-api")
    form = body["form"]
    # Then the form is a valid draft-07 schema, without our own keywords, every field titled
    Draft7Validator.check_schema(form)
    assert "$schema" not in form
    assert all("title" in prop and "x-aliases" not in prop for prop in form["properties"].values())
    assert form["properties"]["language"]["ui:enumNames"][1] == "Node.js (Express)"


def test_an_unknown_template_is_404_naming_the_known_ones(planner: Planner) -> None:
    # When an unknown name is asked for
    status, body = get(planner, "/templates/nope")
    # Then 404 says which templates exist
    assert status == 404
    assert body["knownTemplates"] == Catalogue.load().names
    assert "deploy" in json.dumps(body["errors"])


def test_templates_need_a_token(planner: Planner) -> None:
    status, _ = get(planner, "/templates", claims={})
    assert status == 401
