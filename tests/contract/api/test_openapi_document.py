"""The platform's one OpenAPI document: generated from the request models, valid, covering every route."""

from __future__ import annotations

from agentic_checks.openapi import validate_openapi
from agentic_common.api_contract import allowed_methods, openapi_document
from agentic_common.topology import default_topology
from agentic_local.openapi_build import rendered, stored_path


def test_the_stored_document_is_what_the_models_and_declared_routes_build() -> None:
    # Given the document in agentic_common / When it is rebuilt from the request models
    # Then they agree (regenerate: uv run --frozen python -m agentic_local.openapi_build)
    assert stored_path().read_text(encoding="utf-8") == rendered()


def test_the_document_is_a_valid_openapi_3_1_document() -> None:
    assert validate_openapi(stored_path().read_text(encoding="utf-8"), "openapi.json") == []


def test_every_route_prefix_of_the_topology_has_a_documented_path() -> None:
    # Given every route the gateway (and the CDK app) routes
    prefixes = {r.path_prefix for r in default_topology().api_routes}
    paths = set(openapi_document()["paths"])
    # Then each prefix has at least one documented path under it
    missing = {p for p in prefixes if not any(path == p or path.startswith(p + "/") for path in paths)}
    assert missing == set()


def test_the_document_declares_the_bearer_scheme_and_needs_it_by_default() -> None:
    document = openapi_document()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/health"]["get"]["security"] == []


def test_post_workflows_is_documented_as_201_with_the_workflow_body() -> None:
    created = openapi_document()["paths"]["/workflows"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Workflow"}


def test_every_error_answer_is_a_problem() -> None:
    for operations in openapi_document()["paths"].values():
        for operation in operations.values():
            default = operation["responses"].get("default")
            if default is not None:
                assert list(default["content"]) == ["application/problem+json"]


def test_the_allowed_methods_of_a_path_come_from_the_document() -> None:
    assert allowed_methods("/workflows/wf-1") == ("GET", "HEAD", "OPTIONS")
    assert allowed_methods("/nowhere") is None
