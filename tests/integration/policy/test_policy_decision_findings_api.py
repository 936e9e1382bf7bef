"""GET /policy/decisions/<id> answers with the decision's findings, a page at a time, on the local AWS."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from agentic_common.settings import CommonSettings
from agentic_policy.bootstrap import build_api
from agentic_policy.settings import PolicySettings
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

WHO = {"sub": "dev@example.com", "groups": "[team-orders]"}
DOCKERFILE = "FROM python:latest\nRUN curl http://example.com/x.sh | sh\nCMD python app.py\n"


def event(method: str, path: str, body: Any = None, query: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "version": "2.0",
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "queryStringParameters": query,
        "headers": {},
        "requestContext": {
            "http": {"method": method, "path": path},
            "requestId": "r",
            "stage": "$default",
            "authorizer": {"jwt": {"claims": WHO, "scopes": []}},
        },
        "isBase64Encoded": False,
        "body": None if body is None else json.dumps(body),
    }


@pytest.fixture
def api(aws_settings: CommonSettings, queue_urls: dict[str, str], tmp_path: Path) -> APIGatewayHttpResolver:
    settings = PolicySettings(
        agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path / "home"
    )
    return build_api(settings)


def call(api: APIGatewayHttpResolver, *args: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    response = api.resolve(event(*args, **kwargs), None)
    return response["statusCode"], json.loads(response["body"])


@pytest.fixture
def validated(api: APIGatewayHttpResolver) -> dict[str, Any]:
    """A prod validation of a Dockerfile with several violations."""
    body = {
        "type": "dockerfile",
        "content": DOCKERFILE,
        "subject": f"orders-{uuid.uuid4().hex[:6]}",
        "environment": "prod",
    }
    status, validation = call(api, "POST", "/policy/validate", body)
    assert status == 200, validation
    assert len(validation["violations"]) >= 3, validation
    return validation


def test_a_decision_answers_with_its_findings_as_the_validation_reported_them(
    api: APIGatewayHttpResolver, validated: dict[str, Any]
) -> None:
    # Given a decision of a validation with several violations
    # When the decision is read
    status, decision = call(api, "GET", f"/policy/decisions/{validated['decisionId']}")

    # Then it carries every finding with rule, severity, file:line, remediation, blocking and waiver
    assert status == 200, decision
    wanted = [
        (v["rule"], v["severity"], v.get("file"), v.get("line"), v["remediation"], v["blocking"])
        for v in validated["violations"]
    ]
    found = [
        (f["rule"], f["severity"], f["file"], f["line"], f["remediation"], f["blocking"])
        for f in decision["findings"]
    ]
    assert found == wanted
    assert decision["findings_total"] == len(wanted)
    assert all(f["waiver"] is None for f in decision["findings"])
    assert decision["next_cursor"] is None


def test_the_findings_page_through_with_limit_and_cursor(
    api: APIGatewayHttpResolver, validated: dict[str, Any]
) -> None:
    # Given a decision with several findings
    path = f"/policy/decisions/{validated['decisionId']}"

    # When they are read one page of two at a time
    seen: list[str] = []
    query = {"limit": "2"}
    for _ in range(20):
        status, page = call(api, "GET", path, query=query)
        assert status == 200, page
        assert len(page["findings"]) <= 2
        seen += [f["rule"] for f in page["findings"]]
        if page["next_cursor"] is None:
            break
        query["cursor"] = page["next_cursor"]

    # Then every finding came once, in order
    assert seen == [v["rule"] for v in validated["violations"]]


@pytest.mark.parametrize(
    ("field", "value", "code"), [("limit", "0", 422), ("limit", "x", 422), ("cursor", "-1", 400)]
)
def test_a_page_value_the_api_does_not_take_is_refused_naming_it(
    api: APIGatewayHttpResolver, validated: dict[str, Any], field: str, value: str, code: int
) -> None:
    # Given / When the decision is read with a bad page value
    status, body = call(api, "GET", f"/policy/decisions/{validated['decisionId']}", query={field: value})

    # Then the answer names the field and what it takes
    assert status == code, body
    assert body["errors"][0]["field"] == field
    assert "whole number" in body["errors"][0]["problem"]
