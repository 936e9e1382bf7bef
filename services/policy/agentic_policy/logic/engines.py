"""Every engine over a set of files: the Rego bundle, checkov, hadolint, kubernetes-validate, the GitLab
CI schema and detect-secrets. Each returns ``agentic_checks.Finding``s; which engines run depends on
what the files are (``Scope``), so a single-type validation runs only the engines that apply.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from agentic_checks.checkov_runner import CheckovBusyError, run_checkov
from agentic_checks.findings import Finding
from agentic_checks.gitlab_ci import validate_gitlab_ci
from agentic_checks.hadolint import run_hadolint
from agentic_checks.kubernetes import validate_kubernetes
from agentic_checks.secrets import SecretsBusyError, scan_secrets

from agentic_policy.logic.budget import HADOLINT_CAP_SECONDS, Budget, inconclusive
from agentic_policy.logic.bundle import RegoBundle
from agentic_policy.logic.documents.kubernetes import looks_like_manifests
from agentic_policy.logic.documents.repository import PolicyDocument, build_document, is_dockerfile

GITLAB_CI = ".gitlab-ci.yml"


@dataclass(frozen=True)
class Scope:
    """Which engines run (all of them for a repository)."""

    rego: bool = True
    checkov: bool = True
    hadolint: bool = True
    kubernetes_schema: bool = True
    gitlab_ci: bool = True
    secrets: bool = True
    repository: bool = True


@dataclass(frozen=True)
class EngineRun:
    findings: tuple[Finding, ...]
    document: PolicyDocument
    engines: tuple[str, ...]


def run_engines(
    files: Mapping[str, bytes],
    environment: str,
    bundle: RegoBundle,
    scope: Scope,
    budget: Budget | None = None,
) -> EngineRun:
    budget = budget or Budget()
    document = build_document(files, environment, repository=scope.repository)
    findings: list[Finding] = [_problem(p.field, p.problem) for p in document.problems]
    engines: list[str] = []
    if scope.rego:
        engines.append("rego")
        findings.extend(_rego(bundle, document))
    if scope.checkov:
        engines.append("checkov")
        findings.extend(_checkov(files, budget))
    if scope.hadolint:
        engines.append("hadolint")
        findings.extend(
            f for path in sorted(files) if is_dockerfile(path) for f in _hadolint(files[path], path, budget)
        )
    if scope.kubernetes_schema:
        engines.append("kubernetes-validate")
        manifests = sorted(p for p in files if looks_like_manifests(p, files[p]) and _is_k8s(document, p))
        findings.extend(f for path in manifests for f in validate_kubernetes(files[path], path))
    if scope.gitlab_ci:
        engines.append("gitlab-ci-schema")
        findings.extend(
            f
            for path in sorted(files)
            if path.endswith(GITLAB_CI)
            for f in validate_gitlab_ci(files[path], path)
        )
    if scope.secrets:
        engines.append("detect-secrets")
        findings.extend(_secrets(files, budget))
    return EngineRun(findings=tuple(findings), document=document, engines=tuple(engines))


def _checkov(files: Mapping[str, bytes], budget: Budget) -> list[Finding]:
    try:
        return list(run_checkov(files, wait_seconds=budget.remaining()))
    except CheckovBusyError:
        why = f"it was busy with another validation for the whole {budget.seconds:.0f} s budget"
        return [inconclusive("checkov", "", why)]


def _secrets(files: Mapping[str, bytes], budget: Budget) -> list[Finding]:
    try:
        return list(scan_secrets(files, wait_seconds=budget.remaining()))
    except SecretsBusyError:
        why = f"it was busy with another validation for the whole {budget.seconds:.0f} s budget"
        return [inconclusive("detect-secrets", "", why)]


def _hadolint(content: bytes, path: str, budget: Budget) -> list[Finding]:
    timeout = min(budget.remaining(), HADOLINT_CAP_SECONDS)
    if timeout <= 0:
        return [inconclusive("hadolint", path, f"the {budget.seconds:.0f} s budget was spent")]
    try:
        return list(run_hadolint(content, path, timeout_seconds=timeout))
    except subprocess.TimeoutExpired:
        return [inconclusive("hadolint", path, f"it ran longer than {timeout:.0f} s and was stopped")]


def _is_k8s(document: PolicyDocument, path: str) -> bool:
    return any(m["file"] == path for m in document.kubernetes)


def _rego(bundle: RegoBundle, document: PolicyDocument) -> list[Finding]:
    return [
        Finding(
            check=r.id,
            tool="rego",
            severity=r.severity,
            message=r.message,
            file=r.file or "",
            line=r.line,
            resource=r.resource,
            remediation=r.remediation,
        )
        for r in bundle.evaluate(document.as_input())
    ]


def _problem(path: str, problem: str) -> Finding:
    return Finding(
        check="unparsable-file",
        tool="policy",
        severity="high",
        message=f"{path} {problem}",
        file=path,
        remediation="fix the file's syntax; policy cannot evaluate what it cannot read",
    )
