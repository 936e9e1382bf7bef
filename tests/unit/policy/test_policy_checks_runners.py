"""The shared checks library (libs/checks/agentic_checks) on real tools: checkov in-process, hadolint,
kubernetes-validate, the GitLab CI schema and detect-secrets, with the one severity map."""

from __future__ import annotations

import pytest
from agentic_checks.checkov_runner import framework_of, run_checkov
from agentic_checks.findings import Finding, at_or_above, severity_rank, sort_findings
from agentic_checks.gitlab_ci import validate_gitlab_ci
from agentic_checks.hadolint import run_hadolint
from agentic_checks.kubernetes import K8S_VERSION, validate_kubernetes
from agentic_checks.secrets import scan_secrets
from agentic_checks.severity import checkov_severity, hadolint_severity

OPEN_SSH = b"""resource "aws_security_group" "ssh" {
  description = "ssh"
  ingress {
    description = "ssh from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
DEPLOYMENT = b"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""


def test_checkov_runs_in_process_and_takes_severities_from_the_repository_map() -> None:
    findings = run_checkov({"terraform/network.tf": OPEN_SSH, "deploy/web.yaml": DEPLOYMENT})
    ssh = [f for f in findings if f.check == "CKV_AWS_24"]
    assert [(f.file, f.line, f.resource, f.severity) for f in ssh] == [
        ("terraform/network.tf", 1, "aws_security_group.ssh", "high")
    ]
    assert {f.tool for f in findings} == {"checkov"}
    assert "CKV_K8S_8" in {f.check for f in findings if f.file == "deploy/web.yaml"}  # no liveness probe
    assert all(f.severity == checkov_severity(f.check) for f in findings)


def test_checkov_is_given_only_files_it_has_a_framework_for() -> None:
    assert framework_of("Dockerfile", b"FROM x") == "dockerfile"
    assert framework_of("chart/templates/d.yaml", b"apiVersion: v1\nkind: Pod\nname: {{ .x }}") is None
    assert framework_of("plan.json", b'{"planned_values": {}}') == "terraform_plan"
    assert framework_of("package.json", b"{}") is None
    assert run_checkov({"README.md": b"# hi"}) == []


def test_the_severity_map_has_a_default_for_unlisted_checks() -> None:
    assert checkov_severity("CKV_AWS_20") == "critical"
    assert checkov_severity("CKV_NOT_A_CHECK") == "low"
    assert hadolint_severity("DL3007", "warning") == "high"
    assert hadolint_severity("DL3999", "error") == "high"
    assert hadolint_severity("DL3999", "style") == "info"


def test_hadolint_reports_codes_lines_and_mapped_severities() -> None:
    findings = run_hadolint(
        b"FROM python:latest\nRUN apt-get update && apt-get install -y curl\n", "svc/Dockerfile"
    )
    by_code = {f.check: f for f in findings}
    assert (by_code["DL3007"].line, by_code["DL3007"].severity, by_code["DL3007"].file) == (
        1,
        "high",
        "svc/Dockerfile",
    )
    assert by_code["DL3008"].severity == "medium"


def test_kubernetes_validation_is_strict_for_the_pinned_version_and_explicit_about_crds() -> None:
    bad = DEPLOYMENT.replace(b"  selector:\n    matchLabels: {app: web}\n", b"  replica: 2\n")
    rollout = b"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web}\nspec: {replicas: 2}\n"
    unknown = b"apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
    assert validate_kubernetes(DEPLOYMENT, "ok.yaml") == []
    messages = [f.message for f in validate_kubernetes(bad, "bad.yaml")]
    assert any("'selector' is a required property" in m for m in messages)
    assert any("'replica' was unexpected" in m for m in messages)
    assert validate_kubernetes(rollout, "rollout.yaml") == []
    [widget] = validate_kubernetes(unknown, "widget.yaml")
    assert f"not a Kubernetes {K8S_VERSION} kind nor a known custom resource" in widget.message
    [syntax] = validate_kubernetes(b"a: [", "broken.yaml")
    assert syntax.message.startswith("not valid YAML")


def test_the_gitlab_ci_schema_accepts_references_and_rejects_unknown_keywords() -> None:
    good = b"stages: [test]\n.base:\n  script: [make]\ntest:\n  stage: test\n"
    good += b"  script: !reference [.base, script]\n"
    assert validate_gitlab_ci(good) == []
    [problem] = validate_gitlab_ci(b"test:\n  script: [make]\n  when_ever: always\n")
    assert "when_ever" in problem.message
    assert problem.tool == "gitlab-ci-schema"


def test_detect_secrets_finds_every_kind_without_revealing_values() -> None:
    aws = "AKIA" + "IOSFODNN7EXAMPLE"
    gitlab = "glpat-" + "x1y2z3a4b5c6d7e8f9g0"
    files = {
        "app/settings.py": f'AWS_KEY = "{aws}"\nGITLAB = "{gitlab}"\npassword = "Tr0ub4dor-and-3"\n'.encode(),
        "k8s/sa.yaml": b"automountServiceAccountToken: false\nenv:\n  - secretName: orders-db\n",
        "terraform/db.tf": b'resource "x" "y" {\n  secret_string = random_password.db.result\n}\n',
        ".agentic/manifest.json": b'{"files": {"a": "' + b"0123456789abcdef" * 4 + b'"}}',
    }
    findings = scan_secrets(files)
    assert [(f.file, f.line, f.check) for f in findings] == [
        ("app/settings.py", 1, "secret:AWS Access Key"),
        ("app/settings.py", 2, "secret:GitLab Token"),
        ("app/settings.py", 3, "secret:Secret Keyword"),
    ]
    assert all(f.severity == "critical" for f in findings)
    assert not any(aws in f.message or gitlab in f.message for f in findings)


def test_findings_sort_most_severe_first_and_filter_by_threshold() -> None:
    low = Finding("a", "rego", "low", "m", "f")
    critical = Finding("b", "rego", "critical", "m", "f")
    assert sort_findings([low, critical]) == [critical, low]
    assert at_or_above([low, critical], "high") == [critical]
    assert severity_rank("info") < severity_rank("low")
    with pytest.raises(ValueError, match="severity"):
        Finding("c", "rego", "urgent", "m", "f")
