"""The codegen catalogue: entries as data, one JSON Schema for API requests and tasks, .agentic files."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pytest
from agentic_codegen.logic.catalogue import all_combinations, entry_for, load_catalogue, request_schema
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer, template_context
from agentic_common.parameters import SHARED_KEY, service_parameters
from agentic_planner.logic.catalogue import Catalogue, InvalidParametersError
from jsonschema import Draft202012Validator

CONTRACT_CONTEXT = {
    "service_name",
    "description",
    "owner",
    "system",
    "environment",
    "lifecycle",
    "language",
    "framework",
    "database",
    "database_env",
    "database_example",
    "pattern",
    "event_source",
    "port",
    "base_image",
    "build_image",
    "template_id",
    "template_version",
    "resources",
    "strategy",
}


def test_the_catalogue_offers_three_languages_four_databases_and_two_patterns() -> None:
    # When the catalogue is loaded from its data files
    catalogue = load_catalogue()

    # Then it has one entry per language, each versioned with a valid schema, 24 combinations in all
    assert sorted(catalogue) == ["go", "node", "python"]
    assert {entry.framework for entry in catalogue.values()} == {"fastapi", "express", "gin"}
    for entry in catalogue.values():
        Draft202012Validator.check_schema(entry.parameters)
        assert entry.version
        assert entry.install
        assert entry.start
        assert set(entry.strategies) == {"rolling", "blue-green", "canary"}
    assert len(all_combinations()) == 24


def test_the_planner_validates_api_requests_with_the_codegen_schema() -> None:
    # Given the planner's workflow template and the codegen catalogue
    planner_schema = Catalogue.load().get("microservice-rest-api").parameters

    # Then every codegen parameter is declared identically in the planner's schema
    assert planner_schema["properties"] == request_schema()["properties"]


def test_the_planner_template_takes_the_service_parameters_from_the_one_declaration() -> None:
    # Given the planner's template as a data file
    folder = resources.files("agentic_planner") / "catalogue" / "templates"
    raw = json.loads((folder / "microservice-rest-api.json").read_text())["parameters"]

    # Then it names the shared declaration and holds no copy of its properties
    assert raw[SHARED_KEY] == "service-parameters"
    assert "properties" not in raw
    assert (
        Catalogue.load().get("microservice-rest-api").parameters["properties"]
        == (service_parameters()["properties"])
    )


@pytest.mark.parametrize("language", ["python", "node", "go"])
def test_a_request_the_planner_accepts_is_accepted_by_codegen(language: str) -> None:
    # Given a request for every choice the API offers
    raw = {
        "serviceName": "orders",
        "language": language,
        "environment": "prod",
        "database": "redis",
        "pattern": "event",
        "eventSource": "eventbridge",
        "strategy": "canary",
    }

    # When the planner validates it (filling defaults) and codegen parses what it sends
    validated = Catalogue.load().validate("microservice-rest-api", raw)
    params = parse_parameters(validated)

    # Then both agree on every choice
    assert (params.language, params.database, params.pattern, params.strategy) == (
        language,
        "redis",
        "event",
        "canary",
    )
    assert params.base_image == entry_for(language).base_image


def test_the_planner_rejects_an_unknown_language_naming_the_field() -> None:
    # When an API request asks for a language the catalogue does not offer
    with pytest.raises(InvalidParametersError) as failure:
        Catalogue.load().validate(
            "microservice-rest-api", {"serviceName": "orders", "language": "rust", "environment": "dev"}
        )

    # Then the problem names the parameter
    assert failure.value.problems[0].field == "parameters.language"


def test_the_template_context_holds_every_variable_of_the_contract() -> None:
    # When the context of a service is built
    params = parse_parameters({"serviceName": "orders", "database": "postgresql"})
    context = template_context(params, entry_for("python"))

    # Then every contract variable is there, with the chosen database's setting
    assert set(context) >= CONTRACT_CONTEXT
    assert context["database_env"] == "DATABASE_URL"
    assert context["resources"][0]["fields"][0] == {"name": "name", "type": "string", "required": True}


def test_service_json_tells_the_local_target_how_to_run_the_service() -> None:
    # When a python REST service is rendered
    files = TemplateRenderer().render(parse_parameters({"serviceName": "orders", "database": "dynamodb"}))
    service = json.loads(files[".agentic/service.json"])

    # Then install and start are argv lists and the endpoints are named
    assert service["template"] == "python-fastapi"
    assert service["start"][:4] == ["python", "-m", "uvicorn", "app.main:app"]
    assert "requirements.txt" in service["install"]
    assert (service["health"], service["ready"], service["metrics"], service["port_env"]) == (
        "/health",
        "/ready",
        "/metrics",
        "PORT",
    )
    assert (service["pattern"], service["database"]) == ("rest", "dynamodb")


def test_the_manifest_holds_the_digest_of_every_other_file() -> None:
    # When a service is rendered
    files = TemplateRenderer().render(parse_parameters({"serviceName": "orders", "pattern": "event"}))
    manifest = json.loads(files[".agentic/manifest.json"])

    # Then each file but the manifest itself is listed with its sha256
    others = {path: content for path, content in files.items() if path != ".agentic/manifest.json"}
    assert manifest["template"] == "python-fastapi"
    assert manifest["files"] == {
        path: hashlib.sha256(content).hexdigest() for path, content in others.items()
    }
