"""The ports the deployment logic works through: a deploy target and the deployment history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from agentic_common.agent import TaskError
from agentic_common.environments.gates import RolloutGate
from agentic_common.slo import Measurements

DeploymentStatus = Literal["success", "failed", "rolled_back"]
Strategy = Literal["rolling", "blue-green", "canary"]
STRATEGIES: tuple[Strategy, ...] = ("rolling", "blue-green", "canary")
Gate = RolloutGate  # what each rollout step must pass: the SLO on at least ``slo.requests`` requests


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
    gate: Gate  # the effective gate (environment table + template): every step is judged on it
    strategy: Strategy = "rolling"


@dataclass(frozen=True)
class RunningService:
    deployment_id: str
    url: str
    commit: str
    started_at: datetime
    pid: int | None = None
    port: int | None = None
    steps: tuple[dict[str, Any], ...] = ()


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
    repo_url: str | None = None
    strategy: str | None = None
    detail: str | None = None


class DeploymentHistory(Protocol):
    def record(self, record: DeploymentRecord) -> bool:
        """Store the record; False (and no change) if this (deployment_id, timestamp) is already there."""

    def of(self, deployment_id: str) -> list[DeploymentRecord]:
        """Every record of a deployment, oldest first."""

    def of_service(self, service_name: str, limit: int = 50) -> list[DeploymentRecord]:
        """The latest records of a service, newest first."""


class TrafficRouter(Protocol):
    """Splits one service's traffic between its versions and measures each version's answers."""

    @property
    def url(self) -> str: ...

    def route(self, weights: Mapping[str, int]) -> None: ...

    def new_window(self) -> None:
        """Start a new measurement window (what ``window`` reports is only what came after)."""

    def window(self, version: str) -> Measurements: ...


class LoadProbe(Protocol):
    def send(self, url: str, path: str, count: int, pin: str | None = None) -> None:
        """Send ``count`` GET requests to ``url + path``; ``pin`` routes them all to one version."""
