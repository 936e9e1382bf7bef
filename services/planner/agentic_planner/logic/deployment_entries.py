"""The planner's entries in a deployment's history: the request side (requested, awaiting approval,
approved, rejected); the deployment worker records the outcome (success, failed, rolled_back)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agentic_common.records.deployments import DeploymentRecord, RequestStatus, expires_at


def entry(
    deployment_id: str,
    workflow_id: str,
    params: dict[str, Any],
    status: RequestStatus,
    at: datetime,
    *,
    detail: str | None = None,
) -> DeploymentRecord:
    return DeploymentRecord(
        deployment_id=deployment_id,
        timestamp=at.astimezone(UTC),
        workflow_id=workflow_id,
        task_id="deploy",
        service_name=params["service"],
        environment=params["environment"],
        version=params["version"],
        status=status,
        target="planner",
        expires_at=expires_at(at),
        repo_url=params["repoUrl"],
        strategy=params.get("strategy", "rolling"),
        detail=detail or None,
        ref=params.get("ref") or None,
    )
