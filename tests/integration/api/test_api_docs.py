"""/openapi.json and /docs answer without a token, through the real local gateway."""

from __future__ import annotations

import re

import httpx
import pytest
from agentic_common.api_contract import openapi_document

from tests.integration.api.conftest import Gateway
from tests.tools import NODE_PROJECTS, ensure_node_packages

SWAGGER_UI = next(p for p in NODE_PROJECTS if p.name == "swagger_ui")


@pytest.fixture(scope="module")
def swagger_ui_installed() -> None:
    ensure_node_packages(SWAGGER_UI)  # what `make tools` does; a second call does nothing


def test_the_openapi_document_is_served_without_a_token_and_covers_every_service(gateway: Gateway) -> None:
    # Given no token / When the document is fetched
    answer = httpx.get(f"{gateway.url}/openapi.json")
    # Then it is the platform's document, with the routes of the planner, policy and observability
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    paths = answer.json()["paths"]
    assert {"/workflows", "/deploy", "/policy/validate", "/policy/waivers", "/alerts/alertmanager"} <= set(
        paths
    )
    assert "/metrics/dora" in paths


def test_the_docs_page_is_served_without_a_token_and_loads_the_document(gateway: Gateway) -> None:
    answer = httpx.get(f"{gateway.url}/docs")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert 'url: "/openapi.json"' in answer.text
    assert "/docs/assets/swagger-ui-bundle.js" in answer.text


@pytest.mark.usefixtures("swagger_ui_installed")
def test_the_swagger_ui_files_the_page_loads_are_served_from_the_npm_package(gateway: Gateway) -> None:
    bundle = httpx.get(f"{gateway.url}/docs/assets/swagger-ui-bundle.js")
    css = httpx.get(f"{gateway.url}/docs/assets/swagger-ui.css")
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in bundle.content
    assert css.status_code == 200


def test_no_other_file_is_served_under_the_docs_assets(gateway: Gateway) -> None:
    answer = httpx.get(f"{gateway.url}/docs/assets/package.json")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_every_route_of_every_service_is_in_the_document(gateway: Gateway) -> None:
    # Given the routes each service's resolver really registered
    registered = {
        (route.method, re.sub(r"<(\w+)>", "{}", route.path))
        for app in gateway.apps.values()
        for route in [*app._static_routes, *app._dynamic_routes]
    }
    # When they are compared with the document's operations (parameter names aside)
    documented = {
        (method.upper(), re.sub(r"\{\w+\}", "{}", path))
        for path, operations in openapi_document()["paths"].items()
        for method in operations
    }
    # Then none is missing
    assert registered - documented == set()
