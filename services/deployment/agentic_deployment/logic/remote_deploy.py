"""Deploy to real infrastructure: Terraform (through its runner) first, then the app through GitOps.

Terraform: one workspace per service and environment; in staging and prod the plan goes through the
policy gate before it may be applied; prod never applies without a person (the run stops at a
confirmable plan and the result says so). GitOps: the ArgoCD application points at the commit's
``deploy/<env>`` manifests. Every step is judged on the deployment's gate (``step_gate.judge_step``
over the metrics source's window): rolling once healthy at 100%; canary at its 10% and 50% pauses and
at 100%; blue-green on the preview, then at 100% after promotion. A step that fails, or has no
verdict (too few requests, metrics unreadable), aborts the rollout, rolls back and says why; so does a
failed health check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from agentic_deployment.logic.polling import Backoff
from agentic_deployment.logic.step_gate import StepResult, judge_step, no_verdict, step_label
from agentic_deployment.ports import (
    ApplicationSpec,
    DeployError,
    Gate,
    GitOpsController,
    PlanPolicy,
    StepMetrics,
    Strategy,
    TerraformRunner,
    TerraformRunRequest,
    TerraformRunResult,
    TerraformVariable,
)

CANARY_PAUSES = (10, 50)
POLICY_CHECKED = frozenset({"staging", "prod"})
APPLY_WITHOUT_PERSON = frozenset({"dev", "staging"})


@dataclass(frozen=True)
class RemoteDeployRequest:
    deployment_id: str
    workflow_id: str
    task_id: str
    service: str
    environment: str
    repo_url: str
    commit: str
    gate: Gate
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
    gates: tuple[StepResult, ...] = ()
    awaiting_apply: bool = False


@dataclass
class RemoteDeployer:
    terraform: TerraformRunner | None
    gitops: GitOpsController
    policy: PlanPolicy | None
    metrics: StepMetrics
    backoff: Backoff = field(default_factory=lambda: Backoff(first=2.0, cap=10.0, timeout=900.0))
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

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
        gates: list[StepResult] = []
        if request.strategy == "canary":
            steps += self._canary(request, gates)
        elif request.strategy == "blue-green":
            steps += self._blue_green(request, gates)
        self._wait_healthy(request)
        steps += ["healthy", self._gate_or_roll_back(request, 100, gates, in_rollout=False)]
        return RemoteDeployResult(
            request.app_name, request.commit, request.strategy, tuple(steps), tf, gates=tuple(gates)
        )

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

    def _judge(self, request: RemoteDeployRequest, weight: int) -> StepResult:
        label, source = step_label(weight, pinned=weight == 0), self.metrics.source
        try:
            window = self.metrics.measure(request.service, weight)
        except DeployError as exc:
            return no_verdict(weight, label, f"{source} could not be read ({exc})", source)
        return judge_step(
            weight, label, request.gate, window.measurements, source=source, queries=window.queries
        )

    def _gate_or_roll_back(
        self, request: RemoteDeployRequest, weight: int, gates: list[StepResult], *, in_rollout: bool
    ) -> str:
        """Judge the step; anything but a pass aborts a paused rollout, rolls back and fails the deploy.
        The step is recorded with the share of the new revision and of the stable one, from the moment it
        was in place (the pause reached, or the rollout healthy) until its verdict."""
        started = self.clock()
        result = replace(
            self._judge(request, weight),
            traffic={request.commit[:12]: weight, "stable": 100 - weight},
            started_at=started.isoformat(),
            ended_at=self.clock().isoformat(),
        )
        gates.append(result)
        if result.advances:
            return f"gate at {weight}% passed on {result.source}"
        if in_rollout:
            self.gitops.rollout_action(request.app_name, request.service, request.service, "abort")
        target = self.gitops.rollback(request.app_name)
        outcome = "failed" if result.passed is False else "has no verdict"
        raise DeployError(
            f"{request.strategy} gate at {weight}% {outcome} ({result.why}); "
            f"{'aborted the rollout and ' if in_rollout else ''}rolled back to history {target}",
            retryable=False,
            evidence={"weight": weight, "reason": result.why, "steps": [g.as_dict() for g in gates]},
        )

    def _canary(self, request: RemoteDeployRequest, gates: list[StepResult]) -> list[str]:
        steps = []
        for weight in CANARY_PAUSES:
            self._wait_paused(request, weight)
            steps.append(self._gate_or_roll_back(request, weight, gates, in_rollout=True))
            self.gitops.rollout_action(request.app_name, request.service, request.service, "resume")
        return steps

    def _blue_green(self, request: RemoteDeployRequest, gates: list[StepResult]) -> list[str]:
        self._wait_paused(request, 0)
        steps = [self._gate_or_roll_back(request, 0, gates, in_rollout=True)]
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
