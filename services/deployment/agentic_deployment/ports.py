"""Every port of the deployment service, and the records they carry.

- The deploy target (local simulator or ArgoCD), the deployment history, the local traffic router and
  load probe, the remediation action target.
- For real infrastructure: a Terraform runner, a GitOps controller, a plan policy gate and the step
  metrics source. Terraform Cloud, ArgoCD, the policy service's ``POST /policy/validate`` and Prometheus
  implement them (``adapters/remote/``); ``logic/remote_deploy`` composes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from agentic_common.agent import TaskError
from agentic_common.environments.gates import RolloutGate
from agentic_common.records.deployments import DeploymentHistory as DeploymentHistory  # noqa: PLC0414 - re-export
from agentic_common.records.deployments import DeploymentOutcome
from agentic_common.records.deployments import DeploymentRecord as DeploymentRecord  # noqa: PLC0414 - re-export
from agentic_common.slo import Measurements

DeploymentStatus = DeploymentOutcome  # what the worker records; the record itself is in libs/common
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


Snapshot = dict[str, Any]


class ActionTarget(Protocol):
    """Remediation actions on a running service; each returns its state before and after."""

    def restart(
        self, service: str, environment: str, parameters: dict[str, Any]
    ) -> tuple[Snapshot, Snapshot]: ...
    def rollback(
        self, service: str, environment: str, parameters: dict[str, Any]
    ) -> tuple[Snapshot, Snapshot]: ...
    def resync(
        self, service: str, environment: str, parameters: dict[str, Any]
    ) -> tuple[Snapshot, Snapshot]: ...
    def scale(
        self, service: str, environment: str, parameters: dict[str, Any]
    ) -> tuple[Snapshot, Snapshot]: ...


@dataclass(frozen=True)
class MetricsWindow:
    measurements: Measurements
    queries: dict[str, str] = field(default_factory=dict)


class StepMetrics(Protocol):
    source: str

    def measure(self, namespace: str, weight: int) -> MetricsWindow:
        """The service's requests, errors and latencies over the step's window (raises DeployError)."""


@dataclass(frozen=True)
class TerraformVariable:
    key: str
    value: str
    sensitive: bool = False
    category: Literal["terraform", "env"] = "terraform"

    def __repr__(self) -> str:  # a sensitive value never reaches a log line through repr
        shown = "***" if self.sensitive else self.value
        return f"TerraformVariable(key={self.key!r}, value={shown!r}, category={self.category!r})"


@dataclass(frozen=True)
class TerraformRunRequest:
    workspace: str
    configuration: bytes = field(repr=False)
    """The Terraform module as a tar.gz archive (the root of the archive is the module's root)."""
    variables: tuple[TerraformVariable, ...]
    marker: str
    """Goes into the run message; a retried task finds the run a first attempt started by it."""
    apply_allowed: bool
    """May this environment apply without a person? (If not, the run stops at a confirmable plan.)"""


@dataclass(frozen=True)
class PlanDecision:
    allowed: bool
    summary: str
    violations: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class TerraformRunResult:
    run_id: str
    status: str
    url: str
    added: int = 0
    changed: int = 0
    destroyed: int = 0
    outputs: dict[str, Any] = field(default_factory=dict)
    awaiting_apply: bool = False
    plan_decision: PlanDecision | None = None


PlanCheck = Callable[[bytes], PlanDecision]
"""Plan JSON (``terraform show -json``) → may it be applied?"""


class TerraformRunner(Protocol):
    def run(
        self, request: TerraformRunRequest, plan_check: PlanCheck | None, cancelled: Callable[[], bool]
    ) -> TerraformRunResult: ...

    def cancel(self, run_id: str, comment: str) -> None: ...


@dataclass(frozen=True)
class ApplicationSpec:
    name: str
    project: str
    repo_url: str
    path: str
    revision: str
    namespace: str
    cluster: str = "https://kubernetes.default.svc"
    self_heal: bool = True
    prune: bool = True


@dataclass(frozen=True)
class ApplicationState:
    sync: str
    health: str
    revision: str | None
    phase: str | None
    message: str | None
    history_ids: tuple[int, ...] = ()


class GitOpsController(Protocol):
    def ensure_application(self, spec: ApplicationSpec) -> str:
        """Create or update the application; returns "created", "updated" or "unchanged"."""

    def sync(self, name: str, revision: str) -> None: ...

    def state(self, name: str) -> ApplicationState: ...

    def unhealthy_resources(self, name: str) -> list[str]:
        """From the resource tree: one line per resource that is not healthy, for the error report."""

    def rollout_action(self, name: str, rollout: str, namespace: str, action: str) -> None:
        """An Argo Rollouts action (resume, promote-full, abort) on the application's Rollout."""

    def rollback(self, name: str) -> int:
        """Roll back to the previous deployed revision; returns the history id rolled back to."""


class PlanPolicy(Protocol):
    def check(self, plan_json: bytes, environment: str) -> PlanDecision: ...
