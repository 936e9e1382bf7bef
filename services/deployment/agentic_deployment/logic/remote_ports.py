"""Ports for deploying to real infrastructure: a Terraform runner, a GitOps controller, a plan policy gate.

The Terraform Cloud and ArgoCD adapters implement the first two over their REST APIs; the policy
service's ``POST /policy/validate`` implements the third. The logic in ``remote_deploy`` composes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Strategy = Literal["rolling", "blue-green", "canary"]


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
