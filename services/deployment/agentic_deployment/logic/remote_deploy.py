"""Deploy to real infrastructure: Terraform (through its runner) first, then the app through GitOps.

Terraform: one workspace per service and environment; in staging and prod the plan goes through the
policy gate before it may be applied; prod never applies without a person (the run stops at a
confirmable plan and the result says so). GitOps: the ArgoCD application points at the commit's
``deploy/<env>`` manifests; rolling waits for health; canary walks the Rollout through 10% → 50% →
100%, asking the step gate (the observability verdict) at each pause; blue-green promotes once the
preview passes its gate. A failed gate or failed health check aborts, rolls back, and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from agentic_deployment.logic.polling import Backoff
from agentic_deployment.logic.remote_ports import (
    ApplicationSpec,
    GitOpsController,
    PlanPolicy,
    Strategy,
    TerraformRunner,
    TerraformRunRequest,
    TerraformRunResult,
    TerraformVariable,
)
from agentic_deployment.ports import DeployError

CANARY_PAUSES = (10, 50)
POLICY_CHECKED = frozenset({"staging", "prod"})
APPLY_WITHOUT_PERSON = frozenset({"dev", "staging"})


@dataclass(frozen=True)
class GateVerdict:
    passed: bool
    reason: str


class StepGate(Protocol):
    def verdict(self, deployment_id: str, weight: int) -> GateVerdict:
        """Is the new version healthy at this traffic weight (the observability verdict for the step)?"""


@dataclass(frozen=True)
class RemoteDeployRequest:
    deployment_id: str
    workflow_id: str
    task_id: str
    service: str
    environment: str
    repo_url: str
    commit: str
    strategy: Strategy = "rolling"
    terraform_archive: bytes | None = field(default=None, repr=False)
    variables: tuple[TerraformVariable, ...] = ()
    project: str = "default"

    @property
    def app_name(self) -> str:
        return f"{self.service}-{self.environment}"

    @property
    def marker(self) -> str:
        return f"[agentic workflow={self.workflow_id} task={self.task_id}]"


@dataclass(frozen=True)
class RemoteDeployResult:
    app_name: str
    revision: str
    strategy: Strategy
    steps: tuple[str, ...]
    terraform: TerraformRunResult | None = None
    awaiting_apply: bool = False


@dataclass
class RemoteDeployer:
    terraform: TerraformRunner | None
    gitops: GitOpsController
    policy: PlanPolicy | None
    gate: StepGate
    backoff: Backoff = field(default_factory=lambda: Backoff(first=2.0, cap=10.0, timeout=900.0))

    def deploy(self, request: RemoteDeployRequest, cancelled: Callable[[], bool]) -> RemoteDeployResult:
        tf = self._terraform(request, cancelled) if request.terraform_archive is not None else None
        if tf is not None and tf.awaiting_apply:
            return RemoteDeployResult(
                request.app_name,
                request.commit,
                request.strategy,
                ("terraform plan awaits a confirmed apply",),
                tf,
                awaiting_apply=True,
            )
        steps = [f"application {self.gitops.ensure_application(self._spec(request))}"]
        self.gitops.sync(request.app_name, request.commit)
        steps.append(f"synced to {request.commit[:12]}")
        if request.strategy == "canary":
            steps += self._canary(request)
        elif request.strategy == "blue-green":
            steps += self._blue_green(request)
        self._wait_healthy(request)
        steps.append("healthy")
        return RemoteDeployResult(request.app_name, request.commit, request.strategy, tuple(steps), tf)

    def _terraform(self, request: RemoteDeployRequest, cancelled: Callable[[], bool]) -> TerraformRunResult:
        if self.terraform is None:
            raise DeployError(
                "the repository has a Terraform module but no Terraform runner is configured "
                "(set TFC_ORGANIZATION and the TFC token)",
                retryable=False,
            )
        policy = self.policy
        check = None
        if request.environment in POLICY_CHECKED:
            if policy is None:
                raise DeployError(
                    f"a {request.environment} plan must pass policy, and no policy API is "
                    "configured (POLICY_API_URL)",
                    retryable=False,
                )
            check = lambda plan: policy.check(plan, request.environment)  # noqa: E731
        run = TerraformRunRequest(
            workspace=request.app_name,
            configuration=request.terraform_archive or b"",
            variables=request.variables,
            marker=request.marker,
            apply_allowed=request.environment in APPLY_WITHOUT_PERSON,
        )
        return self.terraform.run(run, check, cancelled)

    def _spec(self, request: RemoteDeployRequest) -> ApplicationSpec:
        return ApplicationSpec(
            name=request.app_name,
            project=request.project,
            repo_url=request.repo_url,
            path=f"deploy/{request.environment}",
            revision=request.commit,
            namespace=request.service,
        )

    def _gate_or_roll_back(self, request: RemoteDeployRequest, weight: int) -> str:
        verdict = self.gate.verdict(request.deployment_id, weight)
        if verdict.passed:
            return f"gate at {weight}% passed: {verdict.reason}"
        self.gitops.rollout_action(request.app_name, request.service, request.service, "abort")
        target = self.gitops.rollback(request.app_name)
        raise DeployError(
            f"{request.strategy} gate at {weight}% failed ({verdict.reason}); aborted the "
            f"rollout and rolled back to history {target}",
            retryable=False,
            evidence={"weight": weight, "reason": verdict.reason},
        )

    def _canary(self, request: RemoteDeployRequest) -> list[str]:
        steps = []
        for weight in CANARY_PAUSES:
            self._wait_paused(request, weight)
            steps.append(self._gate_or_roll_back(request, weight))
            self.gitops.rollout_action(request.app_name, request.service, request.service, "resume")
        return steps

    def _blue_green(self, request: RemoteDeployRequest) -> list[str]:
        self._wait_paused(request, 0)
        steps = [self._gate_or_roll_back(request, 0)]
        self.gitops.rollout_action(request.app_name, request.service, request.service, "promote-full")
        return [*steps, "promoted green"]

    def _failed(self, request: RemoteDeployRequest, why: str) -> DeployError:
        problems = self.gitops.unhealthy_resources(request.app_name)
        target = self.gitops.rollback(request.app_name)
        detail = "; ".join(problems[:5]) or "no unhealthy resource reported"
        return DeployError(
            f"{request.app_name} {why} ({detail}); rolled back to history {target}",
            retryable=False,
            evidence={"resources": problems[:20]},
        )

    def _wait_paused(self, request: RemoteDeployRequest, weight: int) -> None:
        for _ in self.backoff.waits(f"{request.app_name} reaching its {weight}% pause"):
            state = self.gitops.state(request.app_name)
            if state.phase in ("Failed", "Error") or state.health == "Degraded":
                raise self._failed(
                    request, f"failed before its {weight}% step: {state.message or state.health}"
                )
            if state.health == "Suspended":
                return

    def _wait_healthy(self, request: RemoteDeployRequest) -> None:
        for _ in self.backoff.waits(f"{request.app_name} becoming healthy"):
            state = self.gitops.state(request.app_name)
            if state.phase in ("Failed", "Error") or state.health == "Degraded":
                raise self._failed(request, f"failed: {state.message or state.health}")
            if state.sync == "Synced" and state.revision == request.commit and state.health == "Healthy":
                return
