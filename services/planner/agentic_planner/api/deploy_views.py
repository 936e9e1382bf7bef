"""Request bodies of /deploy and /approvals; response shapes of /deploy and /deployments (camelCase)."""

from __future__ import annotations

from typing import Any, Literal

from agentic_common.records.deployments import DeploymentRecord, sort_key
from pydantic import BaseModel, ConfigDict, Field


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    comment: str = Field(min_length=1, max_length=1000)


class DeployBody(BaseModel):
    """The reference shape: service, version, environment, strategy (+ the repository, if not known yet)."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(min_length=3, max_length=63, pattern=r"^[a-z]([a-z0-9-]*[a-z0-9])?$")
    version: str = Field(
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$",  # '..', '//' and a trailing '.' or '/': the template
        description="A tag (v1.2.3), a branch or a commit of the service's repository; resolved to the "
        "commit it names, and both are recorded.",
        examples=["v1.2.3"],
    )
    environment: str = Field(pattern=r"^(dev|staging|prod)$")
    strategy: str = Field(default="rolling", pattern=r"^(rolling|blue-green|canary)$")
    repoUrl: str | None = Field(  # noqa: N815
        default=None,
        max_length=2048,
        pattern=r"^(file|https?)://",
        description="A repository of the platform's Git host (no credentials); defaults to the "
        "repository of the service's last deployment.",
    )
    requestedBy: str | None = Field(  # noqa: N815
        default=None,
        min_length=3,
        max_length=254,
        pattern=r"^\S+$",
        description="Only from a service principal acting for this user; otherwise the token's subject.",
    )


def history_view(entries: list[DeploymentRecord]) -> dict[str, Any]:
    """One deployment: its latest status and every entry, oldest first."""
    ordered = sorted(entries, key=lambda e: e.timestamp)
    latest = ordered[-1]
    urls = [e.url for e in ordered if e.url]
    return {
        "deploymentId": latest.deployment_id,
        "workflowId": latest.workflow_id,
        "service": latest.service_name,
        "environment": latest.environment,
        "version": latest.version,
        "ref": latest.ref,
        "strategy": latest.strategy,
        "status": latest.status,
        "url": urls[-1] if urls else None,
        "updatedAt": sort_key(latest.timestamp),
        "expiresAt": latest.expires_at,
        "history": [
            {"at": sort_key(e.timestamp), "status": e.status, "detail": e.detail, "target": e.target}
            for e in ordered
        ],
    }


def service_history(entries: list[DeploymentRecord]) -> list[dict[str, Any]]:
    """Newest deployment first, one summary each."""
    by_id: dict[str, list[DeploymentRecord]] = {}
    for record in entries:
        by_id.setdefault(record.deployment_id, []).append(record)
    views = [history_view(records) for records in by_id.values()]
    return sorted(views, key=lambda v: v["updatedAt"], reverse=True)
