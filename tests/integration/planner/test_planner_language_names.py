"""`language` accepts the design's `nodejs` and the catalogue's `node`, and stores one value: `node`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from agentic_planner.bootstrap import Planner, build
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path) -> Planner:
    return build(
        PlannerSettings(
            agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )


def create(planner: Planner, service: str, language: str) -> tuple[int, dict[str, Any]]:
    body = {
        "template": "microservice-rest-api",
        "parameters": {"serviceName": service, "language": language, "environment": "dev"},
    }
    response = planner.handle_api(api_event("POST", "/workflows", body), None)
    return response["statusCode"], json.loads(response["body"])


def codegen_task_languages(aws_clients: Any, queue_urls: dict[str, str]) -> list[str]:
    sqs, found = aws_clients.client("sqs"), []
    while messages := sqs.receive_message(
        QueueUrl=queue_urls["codegen-inbox"], MaxNumberOfMessages=10, WaitTimeSeconds=0
    ).get("Messages", []):
        for message in messages:
            found.append(json.loads(message["Body"])["detail"]["parameters"]["language"])
            sqs.delete_message(QueueUrl=queue_urls["codegen-inbox"], ReceiptHandle=message["ReceiptHandle"])
    return found


@pytest.mark.parametrize("spelling", ["nodejs", "node"])
def test_both_spellings_of_node_create_a_workflow_stored_as_node(
    planner: Planner, empty_queues: dict[str, str], aws_clients: Any, spelling: str
) -> None:
    # Given a request that spells the language as the design (nodejs) or the catalogue (node) does
    # When it is posted
    status, body = create(planner, f"orders-{spelling}", spelling)

    # Then it is accepted, and the workflow, its stored record and codegen's task all say "node"
    assert status == 201, body
    assert body["parameters"]["language"] == "node"
    fetched = planner.handle_api(api_event("GET", f"/workflows/{body['workflowId']}"), None)
    assert json.loads(fetched["body"])["parameters"]["language"] == "node"
    assert codegen_task_languages(aws_clients, empty_queues) == ["node"]


def test_an_unknown_language_is_still_422_naming_the_field(planner: Planner) -> None:
    # Given / When a language the catalogue does not offer
    status, body = create(planner, "orders-cobol", "cobol")

    # Then
    assert status == 422
    assert [e["field"] for e in body["errors"]] == ["parameters.language"]


def test_the_catalogue_schema_offers_each_language_with_a_title_for_a_form() -> None:
    # Given the template a Backstage form is built from
    language = Catalogue.load().get("microservice-rest-api").parameters["properties"]["language"]

    # Then every offered value has a title, and nodejs is declared as another name of node
    assert dict(zip(language["enum"], language["enumNames"], strict=True)) == {
        "python": "Python (FastAPI)",
        "node": "Node.js (Express)",
        "go": "Go (Gin)",
    }
    assert language["x-aliases"] == {"nodejs": "node"}
