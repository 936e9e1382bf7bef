"""Files into the bundle's input: Terraform HCL and plan JSON, Dockerfiles, Kubernetes YAML."""

from __future__ import annotations

import json

import pytest
from agentic_policy.logic.documents import UnreadableInputError
from agentic_policy.logic.documents.docker import dockerfile_document
from agentic_policy.logic.documents.repository import build_document
from agentic_policy.logic.documents.terraform import hcl_providers, hcl_resources, parse_hcl, plan_resources

HCL = """\
provider "aws" {
  default_tags {
    tags = { owner = "team-a" }
  }
}

resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "web" }
}

resource "aws_iam_policy" "read" {
  policy = "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\"}]}"
}
"""


def test_hcl_attributes_are_unwrapped_blocks_stay_lists_and_json_policies_are_decoded() -> None:
    parsed = parse_hcl(HCL, "main.tf")
    web, read = hcl_resources(parsed, "main.tf")
    assert web["address"] == "aws_security_group.web"
    assert web["line"] == 7
    assert web["values"]["ingress"] == [{"from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}]
    assert web["values"]["tags"] == {"Name": "web"}
    assert read["values"]["policy"]["Statement"][0]["Action"] == "s3:GetObject"
    assert hcl_providers(parsed)[0]["default_tags"] == [{"tags": {"owner": "team-a"}}]


def test_unparsable_hcl_names_the_file() -> None:
    with pytest.raises(UnreadableInputError, match="is not valid HCL") as raised:
        parse_hcl('resource "x" {', "modules/db/main.tf")
    assert raised.value.field == "modules/db/main.tf"


def test_plan_resources_come_from_every_module() -> None:
    plan = {
        "planned_values": {
            "root_module": {
                "resources": [
                    {"address": "aws_sqs_queue.q", "type": "aws_sqs_queue", "name": "q", "values": {}}
                ],
                "child_modules": [
                    {
                        "resources": [],
                        "child_modules": [
                            {
                                "resources": [
                                    {
                                        "address": "module.a.module.b.aws_s3_bucket.x",
                                        "type": "aws_s3_bucket",
                                        "name": "x",
                                        "values": {},
                                    },
                                ]
                            }
                        ],
                    }
                ],
            }
        }
    }
    addresses = [r["address"] for r in plan_resources(json.dumps(plan).encode(), "plan.json")]
    assert addresses == ["aws_sqs_queue.q", "module.a.module.b.aws_s3_bucket.x"]


@pytest.mark.parametrize(
    ("content", "problem"), [(b"{", "not valid JSON"), (b"{}", "is not a Terraform plan")]
)
def test_a_bad_plan_says_what_is_wrong(content: bytes, problem: str) -> None:
    with pytest.raises(UnreadableInputError, match=problem):
        plan_resources(content, "plan.json")


def test_dockerfile_stages_resolve_arg_defaults_and_the_final_stage_inherits_its_parent() -> None:
    dockerfile = (
        b"ARG BASE=python:3.12-slim\nFROM ${BASE} AS base\nUSER app\n"
        b'FROM base AS final\nHEALTHCHECK CMD ["true"]\n'
    )
    document = dockerfile_document(dockerfile, "Dockerfile")
    assert [(s["image"], s["alias"], s["line"]) for s in document["stages"]] == [
        ("python:3.12-slim", "base", 2),
        ("base", "final", 4),
    ]
    assert [i["cmd"] for i in document["final_instructions"]] == ["user", "healthcheck"]


def test_a_repository_document_skips_helm_templates_and_backstage_and_keeps_parse_problems() -> None:
    files = {
        "chart/templates/deployment.yaml": b"kind: Deployment\napiVersion: apps/v1\nmetadata: {{ .V }}\n",
        "deploy/prod/manifests.yaml": b"apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
        "catalog-info.yaml": b"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n",
        "terraform/broken.tf": b'resource "x" {',
    }
    document = build_document(files, "prod", repository=True)
    assert [m["file"] for m in document.kubernetes] == ["deploy/prod/manifests.yaml"]
    assert [c["file"] for c in document.catalog] == ["catalog-info.yaml"]
    assert [p.field for p in document.problems] == ["terraform/broken.tf"]
