"""POST /policy/validate, waivers and decisions through the Powertools resolver, with the real engines.

Bad input gets a 4xx naming the field and the problem; nothing crashes the handler.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_policy.adapters.memory.stores import InMemoryWaiverStore
from agentic_policy.api.app import ApiDeps, build_app
from agentic_policy.logic.service import PolicyService
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from policy_api_client import call, request
from policy_unit_fixtures import build_tarball

BUCKET = {
    "address": "module.data.aws_s3_bucket.exports",
    "module_address": "module.data",
    "mode": "managed",
    "type": "aws_s3_bucket",
    "name": "exports",
    "provider_name": "registry.terraform.io/hashicorp/aws",
    "schema_version": 0,
    "values": {"bucket": "exports", "acl": "public-read", "tags": {}},
}
PUBLIC_BUCKET_PLAN = {  # the shape of `terraform show -json`, trimmed to one resource in a child module
    "format_version": "1.2",
    "terraform_version": "1.9.0",
    "planned_values": {"root_module": {"child_modules": [{"address": "module.data", "resources": [BUCKET]}]}},
    "resource_changes": [
        {
            **{k: BUCKET[k] for k in ("address", "module_address", "mode", "type", "name", "provider_name")},
            "change": {"actions": ["create"], "before": None, "after": BUCKET["values"], "after_unknown": {}},
        }
    ],
    "configuration": {"root_module": {}},
}


@pytest.fixture
def api_artifacts() -> InMemoryArtifactStore:
    return InMemoryArtifactStore(bucket="agentic-test-agent-artifacts")


@pytest.fixture
def app(
    service: PolicyService, waivers: InMemoryWaiverStore, api_artifacts: InMemoryArtifactStore
) -> APIGatewayHttpResolver:
    return build_app(
        ApiDeps(
            service=service,
            waivers=waivers,
            artifacts=api_artifacts,
            artifacts_bucket="agentic-test-agent-artifacts",
            max_body_bytes=64 * 1024,
        )
    )


def validate(app: APIGatewayHttpResolver, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return call(app, request("POST", "/policy/validate", body))


def test_a_plan_with_a_public_bucket_is_invalid_in_prod_and_names_the_rule_and_resource(
    app: APIGatewayHttpResolver,
) -> None:
    # Given a base64 plan whose child module makes a public bucket
    content = base64.b64encode(json.dumps(PUBLIC_BUCKET_PLAN).encode()).decode()

    # When validated for prod
    status, body = validate(app, {"type": "terraform_plan", "content": content, "environment": "prod"})

    # Then it is invalid and blocks, with the Rego rule and checkov's check on the resource
    assert status == 200
    assert body["valid"] is False
    assert body["blocks"] is True
    assert body["enforcement"] == {"environment": "prod", "mode": "strict"}
    rules = {(v["rule"], v.get("resource")) for v in body["violations"]}
    assert ("SEC-010", "module.data.aws_s3_bucket.exports") in rules
    assert any(rule.startswith("CKV_AWS_") for rule, _ in rules)
    assert body["decisionId"].startswith("dec-")
    assert len(body["digest"]) == 64


def test_the_same_plan_is_reported_but_not_blocking_in_dev(app: APIGatewayHttpResolver) -> None:
    content = base64.b64encode(json.dumps(PUBLIC_BUCKET_PLAN).encode()).decode()
    status, body = validate(app, {"type": "terraform_plan", "content": content, "environment": "dev"})
    assert status == 200
    assert body["valid"] is True
    assert body["violations"]
    assert not any(v["blocking"] for v in body["violations"])


def test_terraform_files_kubernetes_dockerfile_and_gitlab_ci_are_each_validated(
    app: APIGatewayHttpResolver,
) -> None:
    # Given one bad input of each type / When validated / Then each names its own rule
    hcl = (
        'resource "aws_security_group" "ssh" {\n  ingress {\n    from_port = 22\n    to_port = 22\n'
        '    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n'
    )
    manifest = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: web\n          image: nginx\n"
    )
    cases = {
        "terraform": ({"files": {"network/sg.tf": hcl}}, "SEC-014"),
        "kubernetes": ({"content": manifest}, "k8s-schema"),
        "dockerfile": ({"content": "FROM python:latest\nCMD python app.py\n"}, "DOCKER-001"),
        "gitlab_ci": ({"content": "build:\n  scriptz: [make]\n"}, "gitlab-ci-schema"),
    }
    for kind, (fields, rule) in cases.items():
        status, body = validate(app, {"type": kind, "environment": "staging", **fields})
        assert status == 200, body
        assert rule in {v["rule"] for v in body["violations"]}, (kind, body["violations"])


@pytest.mark.parametrize(
    ("body", "status", "error", "field"),
    [
        ({"type": "terraform_plan", "content": "not base64!!"}, 400, "invalid_base64", "content"),
        (
            {"type": "terraform_plan", "content": base64.b64encode(b"{}").decode()},
            422,
            "unparsable_content",
            "content",
        ),
        (
            {"type": "terraform", "files": {"main.tf": 'resource "x" {'}},
            422,
            "unparsable_content",
            "files.main.tf",
        ),
        (
            {"type": "kubernetes", "content": "a: [unclosed"},
            422,
            "unparsable_content",
            "files.manifests.yaml",
        ),
        ({"type": "kubernetes", "content": "just: data\n"}, 422, "no_manifests", "files.manifests.yaml"),
        ({"type": "gitlab_ci", "content": "build: {"}, 422, "unparsable_content", "content"),
        ({"type": "helm"}, 400, "unknown_type", "type"),
        ({"type": "dockerfile"}, 422, "missing_content", "content"),
        (
            {"type": "dockerfile", "content": "FROM x:1", "environment": "production"},
            422,
            "unknown_environment",
            "environment",
        ),
        ({"type": "terraform", "files": {"../etc/x.tf": "a = 1"}}, 422, "invalid_files", "files.../etc/x.tf"),
        ({"type": "repository"}, 422, "missing_artifact", "artifact"),
        ({"type": "dockerfile", "content": "\udcffFROM x"}, 422, "unparsable_content", "content"),
        (
            {
                "type": "repository",
                "artifact": {"bucket": "elsewhere", "key": "k", "sha256": "0" * 64, "size_bytes": 1},
            },
            403,
            "foreign_bucket",
            "artifact.bucket",
        ),
        ({"type": "dockerfile", "content": "FROM x:1", "extra": 1}, 422, "invalid_request", "extra"),
    ],
)
def test_bad_input_gets_a_4xx_naming_the_field_and_the_problem(
    app: APIGatewayHttpResolver, body: dict[str, Any], status: int, error: str, field: str
) -> None:
    got_status, got = validate(app, body)
    assert (got_status, got["error"]) == (status, error), got
    assert got["errors"][0]["field"] == field
    assert got["message"]


def test_a_body_that_is_not_json_or_too_large_is_refused(app: APIGatewayHttpResolver) -> None:
    assert call(app, request("POST", "/policy/validate", raw="{not json"))[1]["error"] == "invalid_json"
    status, body = call(app, request("POST", "/policy/validate", raw=json.dumps({"content": "x" * 70_000})))
    assert (status, body["error"]) == (413, "body_too_large")
    assert "65536" in body["message"]


def test_a_request_without_a_token_is_unauthorized(app: APIGatewayHttpResolver) -> None:
    status, body = call(app, request("POST", "/policy/validate", {"type": "dockerfile"}, authed=False))
    assert (status, body["error"]) == (401, "unauthorized")


def test_a_repository_artifact_is_fetched_and_evaluated_and_a_missing_one_is_404(
    app: APIGatewayHttpResolver, api_artifacts: InMemoryArtifactStore, clean_repo: dict[str, bytes]
) -> None:
    # Given the clean repository stored as an artifact
    ref = api_artifacts.put("repos/payments.tar.gz", build_tarball(clean_repo, prefix="payments-api/"))

    # When validated as a repository for prod / Then it passes
    status, body = validate(
        app,
        {
            "type": "repository",
            "artifact": ref.model_dump(),
            "environment": "prod",
            "subject": "payments-api",
        },
    )
    assert (status, body["valid"]) == (200, True), body["violations"]
    assert "detect-secrets" in body["engines"]
    assert "rego" in body["engines"]

    # And a reference to a key that does not exist is a 404 naming the key
    missing = ref.model_dump() | {"key": "repos/nope.tar.gz"}
    status, body = validate(app, {"type": "repository", "artifact": missing})
    assert (status, body["errors"][0]["field"]) == (404, "artifact.key")


def test_waivers_are_created_listed_and_applied_to_validations(app: APIGatewayHttpResolver) -> None:
    # Given a waiver for DOCKER-003 on orders-api
    waiver = {
        "rule": "DOCKER-003",
        "repository": "orders-api",
        "owner": "team-orders",
        "reason": "health is probed by the platform sidecar",
        "expires_at": "2099-01-01T00:00:00Z",
    }
    approver = {"sub": "alice@example.com", "groups": ["policy-approvers"]}
    status, created = call(app, request("POST", "/policy/waivers", waiver, claims=approver))
    assert status == 422
    assert created["errors"][0]["field"] == "expires_at"
    waiver["expires_at"] = _in_days(30)
    waiver["environment"] = "staging"  # no second approver needed there
    status, created = call(app, request("POST", "/policy/waivers", waiver, claims=approver))
    assert status == 201
    assert created["created_by"] == "alice@example.com"
    assert created["active"] is True

    # When listed / Then it is there
    status, listed = call(app, request("GET", "/policy/waivers", query={"repository": "orders-api"}))
    assert [w["waiver_id"] for w in listed["waivers"]] == [created["waiver_id"]]

    # When a Dockerfile without HEALTHCHECK is validated for orders-api / Then DOCKER-003 is waived
    dockerfile = 'FROM python:3.12-slim\nUSER 10001\nCMD ["python", "app.py"]\n'
    _, body = validate(
        app, {"type": "dockerfile", "content": dockerfile, "subject": "orders-api", "environment": "staging"}
    )
    assert [(v["rule"], v["waiver_id"]) for v in body["waived"] if v["rule"] == "DOCKER-003"] == [
        ("DOCKER-003", created["waiver_id"])
    ]
    assert "DOCKER-003" not in {v["rule"] for v in body["violations"]}

    # And the decision record binds the digest, the bundle version and the waiver
    status, decision = call(app, request("GET", f"/policy/decisions/{body['decisionId']}"))
    assert status == 200
    assert decision["digest"] == body["digest"]
    assert created["waiver_id"] in decision["waived"]


def test_an_expired_or_malformed_waiver_is_refused(app: APIGatewayHttpResolver) -> None:
    base = {"rule": "DOCKER-003", "repository": "r", "owner": "team", "reason": "a good reason here"}
    status, body = call(
        app, request("POST", "/policy/waivers", base | {"expires_at": "2020-01-01T00:00:00Z"})
    )
    assert (status, body["errors"][0]["field"]) == (422, "expires_at")
    status, body = call(app, request("POST", "/policy/waivers", base | {"expires_at": "2030-01-01T00:00:00"}))
    assert status == 422
    assert "timezone" in body["message"]
    status, body = call(app, request("POST", "/policy/waivers", {"rule": "X"}))
    assert status == 422
    assert body["error"] == "invalid_request"


def test_rules_lists_the_bundle_and_unknown_routes_are_404(app: APIGatewayHttpResolver) -> None:
    status, body = call(app, request("GET", "/policy/rules"))
    assert status == 200
    assert "DOCKER-001" in {r["id"] for r in body["rules"]}
    status, body = call(app, request("GET", "/policy/decisions/dec-nope"))
    assert (status, body["error"]) == (404, "not_found")


def _in_days(days: int) -> str:
    from datetime import UTC, datetime, timedelta  # noqa: PLC0415

    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def test_a_dockerfile_its_parser_cannot_read_is_reported_not_crashed_on(app: APIGatewayHttpResolver) -> None:
    status, body = validate(app, {"type": "dockerfile", "content": "ARG\nFROM ${X}\nUSER\n"})
    assert status == 200
    assert "unparsable-file" in {v["rule"] for v in body["violations"]}
