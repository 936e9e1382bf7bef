"""The prod stack differs from dev only as the environment table says (one extra synth, module-scoped)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentic_infra.app import build_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prod_template(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("prod")
    context = {
        "env": "prod",
        "jwt_issuer": "https://backstage.example.test",
        "jwt_audience": "agentic",
        "lambda_bundle": "source",
    }
    app, stack = build_app(context, outdir=str(root / "cdk.out"), stage_root=root / "stage")
    assembly = app.synth()
    return json.loads(
        (Path(assembly.directory) / assembly.get_stack_artifact(stack.artifact_id).template_file).read_text()
    )


def _props(template: dict, kind: str) -> list[dict]:
    return [v.get("Properties", {}) for v in template["Resources"].values() if v["Type"] == kind]


def test_prod_names_every_resource_with_its_own_prefix(prod_template):
    names = [p["QueueName"] for p in _props(prod_template, "AWS::SQS::Queue")]
    assert names
    assert all(n.startswith("agentic-prod-") for n in names)


def test_prod_reserves_100_planner_executions_and_sizes_workers_at_4_vcpu_16_gb(prod_template):
    planner = {
        p["FunctionName"]: p
        for p in _props(prod_template, "AWS::Lambda::Function")
        if str(p.get("FunctionName", "")).startswith("agentic-prod-planner-")
    }
    assert planner["agentic-prod-planner-api"]["ReservedConcurrentExecutions"] == 100
    assert planner["agentic-prod-planner-queue"]["ReservedConcurrentExecutions"] == 100
    tasks = _props(prod_template, "AWS::ECS::TaskDefinition")
    assert {(t["Cpu"], t["Memory"]) for t in tasks} == {("4096", "16384")}


def test_prod_retains_tables_buckets_and_secrets(prod_template):
    kinds = ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SecretsManager::Secret")
    resources = prod_template["Resources"].values()
    policies = {(v["Type"], v.get("DeletionPolicy")) for v in resources if v["Type"] in kinds}
    assert policies == {(kind, "Retain") for kind in kinds}
    assert not [v for v in prod_template["Resources"].values() if v["Type"] == "Custom::S3AutoDeleteObjects"]


def test_prod_has_a_nat_gateway_per_availability_zone_and_keeps_logs_a_year(prod_template):
    assert len(_props(prod_template, "AWS::EC2::NatGateway")) == 2
    functions = {
        p["LogGroupName"]: p for p in _props(prod_template, "AWS::Logs::LogGroup") if "LogGroupName" in p
    }
    assert {p["RetentionInDays"] for p in functions.values()} == {365}
