"""The planner's entries in a deployment's history: the request side (requested, awaiting approval,
approved, rejected); the deployment worker writes the outcome (success, failed, rolled_back)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

RETENTION = timedelta(days=90)


def entry(
    deployment_id: str,
    workflow_id: str,
    params: dict[str, Any],
    status: str,
    at: datetime,
    *,
    detail: str | None = None,
) -> dict[str, str]:
    item = {
        "deployment_id": deployment_id,
        "timestamp": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "workflow_id": workflow_id,
        "task_id": "deploy",
        "service_name": params["service"],
        "environment": params["environment"],
        "version": params["version"],
        "status": status,
        "target": "planner",
        "repo_url": params["repoUrl"],
        "strategy": params.get("strategy", "rolling"),
        "expires_at": str(int((at + RETENTION).timestamp())),
    }
    if params.get("ref"):  # the tag or branch the request named; ``version`` is its commit
        item["ref"] = params["ref"]
    return item | ({"detail": detail} if detail else {})
