"""The ports the deployment logic works through: a deploy target and the deployment history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from agentic_common.agent import TaskError

DeploymentStatus = Literal["success", "failed"]


class DeployError(TaskError):
    """A deploy target failed in a way it understands. Retryable unless the target says otherwise."""

    def __init__(
        self, message: str, *, retryable: bool = True, evidence: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, retryable=retryable, evidence=evidence)


@dataclass(frozen=True)
class DeployRequest:
    deployment_id: str
    workflow_id: str
    service_name: str
    environment: str
    repo_url: str
    commit: str
    timeout_seconds: int


@dataclass(frozen=True)
class RunningService:
    deployment_id: str
    url: str
    commit: str
    started_at: datetime
    pid: int | None = None
    port: int | None = None


class DeployTarget(Protocol):
    name: str

    def deploy(self, request: DeployRequest) -> RunningService:
        """Run ``request.commit``; for a deployment id that already runs healthy, return that one."""

    def stop_all(self) -> None:
        """Stop what this process started (the local target); remote targets have nothing to stop."""

    def reap_orphans(self) -> int:
        """Stop what an earlier, dead worker left running; returns how many were stopped."""


@dataclass(frozen=True)
class DeploymentRecord:
    """One item of the ``deployments`` table (PK deployment_id, SK timestamp)."""

    deployment_id: str
    timestamp: datetime
    workflow_id: str
    task_id: str
    service_name: str
    environment: str
    version: str
    status: DeploymentStatus
    target: str
    expires_at: int
    url: str | None = None


class DeploymentHistory(Protocol):
    def record(self, record: DeploymentRecord) -> bool:
        """Store the record; False (and no change) if this (deployment_id, timestamp) is already there."""

    def of(self, deployment_id: str) -> list[DeploymentRecord]:
        """Every record of a deployment, oldest first."""
