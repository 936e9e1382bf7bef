"""What a deployment approval is bound to, computed the same way by the planner and the deploy worker.

The digest covers the artifact (repository and version) and the plan (service, environment, strategy
and the gate each step must pass). If any of them differs when the deployment runs, the approval is void.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from agentic_common.approvals.models import digest_of
from agentic_common.environments.gates import effective_gate
from agentic_common.environments.tasks import task_approval

BUILT_BY = "codegen"


def approval_id_for(workflow_id: str) -> str:
    """One approval per deployment workflow, found again by the worker from the workflow id."""
    return f"apr-{workflow_id}"


def approval_required(config: Mapping[str, Any], environment: str) -> bool:
    """Does a deploy task need a person's approval in ``environment``? The environment's row of the
    table (``agentic_common.environments``), made stricter by the task's template config; a template
    cannot remove it."""
    return task_approval("deployment", config, environment).required


def _artifact(parameters: Mapping[str, Any], upstream: Mapping[str, Any] | None) -> dict[str, Any]:
    """What will run: codegen's repository and commit when the workflow built it, else the request's."""
    built = (upstream or {}).get(BUILT_BY)
    if isinstance(built, Mapping) and built.get("commit"):
        return {"repository": built.get("repo_url"), "version": built.get("commit")}
    return {"repository": parameters.get("repoUrl"), "version": parameters.get("version")}


def deployment_digest(
    parameters: Mapping[str, Any], config: Mapping[str, Any], upstream: Mapping[str, Any] | None = None
) -> str:
    """The gate in the plan is the effective one (environment table + template, stricter wins), so the
    planner and the worker bind the approval to the gate the steps will really pass. ``upstream`` is
    the deploy task's upstream outputs (``TaskCreated.upstream``): with it, the digest of a workflow
    that generates its service binds the commit codegen produced."""
    environment = str(parameters.get("environment", ""))
    artifact = _artifact(parameters, upstream)
    plan = {
        "service": parameters.get("service") or parameters.get("serviceName"),
        "environment": environment,
        "strategy": parameters.get("strategy", "rolling"),
        "gate": effective_gate(config, environment).as_dict(),
    }
    return digest_of(artifact=artifact, plan=plan)


def deployment_id_for(workflow_id: str, task_id: str = "deploy") -> str:
    """Deterministic, so the API can name a deployment before the worker runs it (and a retry finds it)."""
    return "dep-" + hashlib.sha256(f"{workflow_id}:{task_id}".encode()).hexdigest()[:16]
