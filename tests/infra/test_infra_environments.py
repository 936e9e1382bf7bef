"""The prod stack differs from dev only as the environment table says (the session's prod synth)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prod_template(synth) -> dict:
    return synth("prod").template


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
