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


def approval_id_for(workflow_id: str) -> str:
    """One approval per deployment workflow, found again by the worker from the workflow id."""
    return f"apr-{workflow_id}"


def approval_required(config: Mapping[str, Any], environment: str) -> bool:
    """The task's template config names the environments that need a person's approval."""
    approval = config.get("approval")
    return isinstance(approval, Mapping) and environment in approval.get("environments", ())


def deployment_digest(parameters: Mapping[str, Any], config: Mapping[str, Any]) -> str:
    """The gate in the plan is the effective one (environment table + template, stricter wins), so the
    planner and the worker bind the approval to the gate the steps will really pass."""
    environment = str(parameters.get("environment", ""))
    artifact = {"repository": parameters.get("repoUrl"), "version": parameters.get("version")}
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
