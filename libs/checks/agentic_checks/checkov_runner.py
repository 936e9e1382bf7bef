"""checkov in-process (never its CLI): Terraform, Terraform plan JSON, Kubernetes manifests, Dockerfiles.

checkov's modules are imported once per process, on first use (importing them takes seconds; a run
then takes tens of milliseconds). checkov keeps registries in module globals, so runs hold a lock.
Severities come from ``severity_map.json`` (see ``agentic_checks.severity``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from agentic_checks.findings import Finding
from agentic_checks.severity import checkov_severity
from agentic_checks.workspace import materialised, relative_to
from agentic_checks.yaml_fast import load_all

FRAMEWORKS = ("terraform", "terraform_plan", "kubernetes", "dockerfile")
_LOCK = threading.Lock()


def framework_of(path: str, content: bytes) -> str | None:
    """Which checkov framework reads this file, or None (Helm templates are not manifests yet)."""
    name = PurePosixPath(path).name
    if name.endswith(".tf"):
        return "terraform"
    if name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(".Dockerfile"):
        return "dockerfile"
    if name.endswith(".json") and (b'"resource_changes"' in content or b'"planned_values"' in content):
        return "terraform_plan"
    if name.endswith((".yaml", ".yml")) and b"{{" not in content and _looks_like_manifest(content):
        return "kubernetes"
    return None


def _looks_like_manifest(content: bytes) -> bool:
    try:
        documents = load_all(content)
    except yaml.YAMLError:
        return False
    return any(isinstance(d, dict) and "apiVersion" in d and "kind" in d for d in documents)


@cache
def _runner_classes() -> dict[str, Any]:
    """Import checkov once per process (seconds), quietly."""
    logging.getLogger("checkov").setLevel(logging.ERROR)
    from checkov.common.parallelizer.parallel_runner import parallel_runner  # noqa: PLC0415

    # In-process and per request: forking worker processes costs more than it saves here (and forking
    # a threaded server is unsafe), so checkov runs its checks sequentially in this process.
    parallel_runner.type = "none"
    from checkov.dockerfile.runner import Runner as DockerfileRunner  # noqa: PLC0415 - heavy, on first use
    from checkov.kubernetes.runner import Runner as KubernetesRunner  # noqa: PLC0415
    from checkov.runner_filter import RunnerFilter  # noqa: PLC0415
    from checkov.terraform.plan_runner import Runner as PlanRunner  # noqa: PLC0415
    from checkov.terraform.runner import Runner as TerraformRunner  # noqa: PLC0415

    return {
        "terraform": TerraformRunner,
        "terraform_plan": PlanRunner,
        "kubernetes": KubernetesRunner,
        "dockerfile": DockerfileRunner,
        "_filter": RunnerFilter,
    }


class CheckovBusyError(TimeoutError):
    """Another run held checkov's lock for longer than the caller's ``wait_seconds``."""


def run_checkov(files: Mapping[str, bytes], wait_seconds: float | None = None) -> list[Finding]:
    """checkov's failed checks over every file it has a framework for, as Findings.

    ``wait_seconds`` bounds the wait for checkov's lock (``CheckovBusyError`` after it); None waits.
    """
    groups: dict[str, list[str]] = {}
    for path, content in files.items():
        framework = framework_of(path, content)
        if framework:
            groups.setdefault(framework, []).append(path)
    if not groups:
        return []
    classes = _runner_classes()
    if not _LOCK.acquire(timeout=-1 if wait_seconds is None else max(wait_seconds, 0)):
        raise CheckovBusyError(f"checkov was busy with another run for {wait_seconds:.0f} s")
    try:
        return _run(classes, groups, files)
    finally:
        _LOCK.release()


def _run(classes: dict[str, Any], groups: dict[str, list[str]], files: Mapping[str, bytes]) -> list[Finding]:
    findings: list[Finding] = []
    with materialised({p: files[p] for paths in groups.values() for p in paths}) as workspace:
        root = workspace.resolve()
        for framework, paths in sorted(groups.items()):
            runner = classes[framework]()
            report = runner.run(
                root_folder=None,
                files=[str(root / p) for p in sorted(paths)],
                runner_filter=classes["_filter"](framework=[framework], show_progress_bar=False),
            )
            for reports in report if isinstance(report, list) else [report]:
                findings.extend(_finding(root, check) for check in reports.failed_checks)
    return findings


def _finding(root: Path, check: Any) -> Finding:
    lines = check.file_line_range or [None]
    return Finding(
        check=check.check_id,
        tool="checkov",
        severity=checkov_severity(check.check_id),
        message=check.check_name,
        file=_relative(root, check),
        line=lines[0] or None,
        resource=str(check.resource).replace(f"{root}/", ""),
        remediation=check.guideline or f"see https://www.checkov.io for {check.check_id}",
    )


def _relative(root: Path, check: Any) -> str:
    absolute = str(getattr(check, "file_abs_path", None) or check.file_path)
    prefix = f"{root}/"
    if absolute.startswith(prefix):
        return absolute[len(prefix) :]
    try:
        return relative_to(root, absolute)
    except ValueError:
        return str(check.file_path).lstrip("/")
