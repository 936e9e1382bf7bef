"""Checks on the rendered files themselves: Dockerfile, Terraform, CI, OpenAPI, secrets, .agentic files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import hcl2
from agentic_checks.checkov_runner import run_checkov
from agentic_checks.findings import at_or_above
from agentic_checks.gitlab_ci import validate_gitlab_ci
from agentic_checks.hadolint import run_hadolint
from agentic_checks.openapi import validate_openapi
from agentic_checks.secrets import scan_secrets

from agentic_gate.outcome import NOT_APPLICABLE, Outcome, describe, from_problems

BLOCKING = "medium"
"""checkov findings at this severity or above fail the gate (the issue: nothing failed above LOW)."""


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def check_hadolint(root: Path) -> Outcome:
    """hadolint reports nothing at all (no error, warning, info or style)."""
    return from_problems(describe(f) for f in run_hadolint((root / "Dockerfile").read_bytes()))


def check_terraform(root: Path) -> Outcome:
    """Every .tf and .tfvars parses as HCL2, and checkov fails no check above LOW."""
    problems = []
    terraform = root / "terraform"
    sources = sorted([*terraform.rglob("*.tf"), *terraform.rglob("*.tfvars")])
    if not any(p.suffix == ".tf" for p in sources):
        return from_problems(["no Terraform files under terraform/"])
    for path in sources:
        try:
            hcl2.loads(path.read_text())
        except Exception as exc:  # noqa: BLE001 - any parser error is the finding, reported with its file
            problems.append(f"{path.relative_to(root)} does not parse: {exc}")
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sources if p.suffix == ".tf"}
    problems += [describe(f) for f in at_or_above(run_checkov(files), BLOCKING)]
    return from_problems(problems)


def check_gitlab_ci(root: Path) -> Outcome:
    """.gitlab-ci.yml against the GitLab CI JSON Schema check-jsonschema vendors."""
    return from_problems(describe(f) for f in validate_gitlab_ci((root / ".gitlab-ci.yml").read_bytes()))


def check_openapi(root: Path) -> Outcome:
    """openapi.yaml is a valid OpenAPI document (REST services only)."""
    spec = root / "openapi.yaml"
    if not spec.exists():
        return NOT_APPLICABLE
    return from_problems(describe(f) for f in validate_openapi(spec.read_bytes()))


def check_secrets(root: Path) -> Outcome:
    """detect-secrets (every plugin plus the GitLab token one) finds nothing in any file."""
    return from_problems(describe(f) for f in scan_secrets(read_tree(root)))


def check_agentic_files(root: Path) -> Outcome:
    """.agentic/service.json names how to run the service; manifest.json holds every file's sha256."""
    manifest = json.loads((root / ".agentic" / "manifest.json").read_text())
    service = json.loads((root / ".agentic" / "service.json").read_text())
    files = read_tree(root)
    files.pop(".agentic/manifest.json")
    problems = [
        f"manifest lists {path} with a wrong digest"
        for path, digest in manifest["files"].items()
        if hashlib.sha256(files.get(path, b"")).hexdigest() != digest
    ]
    problems += [
        f"{path} is missing from the manifest" for path in sorted(set(files) - set(manifest["files"]))
    ]
    problems += [
        f"service.json lacks {key}"
        for key in ("install", "start", "health", "ready", "metrics")
        if not service.get(key)
    ]
    return from_problems(problems)
