"""The remote (ArgoCD) rollout logic over fakes: every step is judged, recorded, and only a pass advances."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import pytest
from agentic_common.environments.gates import effective_gate
from agentic_common.slo import Measurements
from agentic_deployment.logic.polling import Backoff
from agentic_deployment.logic.remote_deploy import RemoteDeployer, RemoteDeployRequest
from agentic_deployment.ports import ApplicationSpec, ApplicationState, DeployError, MetricsWindow, Strategy

GATE = effective_gate({}, "dev")
HEALTHY_WINDOW = Measurements(requests=GATE.slo.requests * 3, errors=0, p50_ms=8.0, p95_ms=20.0, p99_ms=30.0)
COMMIT = "ab" * 20


@dataclass
class FakeGitOps:
    """An application whose Rollout pauses ``pauses`` times, then becomes healthy on the synced revision."""

    pauses: int = 0
    revision: str = ""
    actions: list[str] = field(default_factory=list)
    rollbacks: int = 0

    def ensure_application(self, spec: ApplicationSpec) -> str:
        return "created"

    def sync(self, name: str, revision: str) -> None:
        self.revision = revision

    def state(self, name: str) -> ApplicationState:
        health = "Suspended" if self.pauses > 0 else "Healthy"
        return ApplicationState("Synced", health, self.revision, "Succeeded", None)

    def unhealthy_resources(self, name: str) -> list[str]:
        return []

    def rollout_action(self, name: str, rollout: str, namespace: str, action: str) -> None:
        self.actions.append(action)
        self.pauses = 0 if action == "promote-full" else self.pauses - 1

    def rollback(self, name: str) -> int:
        self.rollbacks += 1
        return 7


@dataclass
class FakeMetrics:
    """Answers ``window`` for every step; ``None`` means the metrics source cannot be read."""

    window: Measurements | None = HEALTHY_WINDOW
    at: dict[int, Measurements] = field(default_factory=dict)  # a different window at these weights
    source: str = "fake-metrics"
    asked: list[int] = field(default_factory=list)

    def measure(self, namespace: str, weight: int) -> MetricsWindow:
        self.asked.append(weight)
        window = self.at.get(weight, self.window)
        if window is None:
            raise DeployError("fake-metrics answered 503 to GET /api/v1/query; will retry")
        return MetricsWindow(window, {"requests": "sum(requests)"})


PAUSES = {"rolling": 0, "canary": 2, "blue-green": 1}


def deploy(strategy: Strategy, metrics: FakeMetrics) -> tuple[FakeGitOps, list[int], RemoteDeployer]:
    gitops = FakeGitOps(pauses=PAUSES[strategy])
    deployer = RemoteDeployer(
        terraform=None, gitops=gitops, policy=None, metrics=metrics, backoff=Backoff(first=0, timeout=5)
    )
    return gitops, metrics.asked, deployer


def request(strategy: Strategy) -> RemoteDeployRequest:
    return RemoteDeployRequest(
        deployment_id="dep-1",
        workflow_id="wf-1",
        task_id="deploy",
        service="orders",
        environment="dev",
        repo_url="https://git.example.com/orders.git",
        commit=COMMIT,
        gate=GATE,
        strategy=strategy,
    )


@pytest.mark.parametrize(
    ("strategy", "weights"), [("rolling", [100]), ("canary", [10, 50, 100]), ("blue-green", [0, 100])]
)
def test_every_remote_step_is_judged_and_recorded_with_its_measurements(
    strategy: Strategy, weights: list[int]
) -> None:
    # Given healthy metrics / When the strategy runs
    _, asked, deployer = deploy(strategy, FakeMetrics())
    result = deployer.deploy(request(strategy), lambda: False)
    # Then each step, including the last at 100%, was judged, passed and kept its measurements
    assert asked == weights
    assert [(g.weight, g.passed) for g in result.gates] == [(w, True) for w in weights]
    assert all(g.measurements == asdict(HEALTHY_WINDOW) for g in result.gates)
    assert all(g.evidence for g in result.gates)


@pytest.mark.parametrize(("strategy", "aborts"), [("rolling", False), ("canary", True), ("blue-green", True)])
def test_a_remote_step_without_measurements_does_not_advance(strategy: Strategy, aborts: bool) -> None:
    # Given a metrics window with no requests at all
    silent = Measurements(requests=0, errors=0, p50_ms=0.0, p95_ms=0.0, p99_ms=0.0)
    gitops, asked, deployer = deploy(strategy, FakeMetrics(window=silent))
    # When the strategy runs
    with pytest.raises(DeployError) as stopped:
        deployer.deploy(request(strategy), lambda: False)
    # Then it stopped at its first step with no verdict, rolled back, and went no further
    assert len(asked) == 1
    assert "has no verdict (only 0 request(s) were measured" in str(stopped.value)
    assert "rolled back to history 7" in str(stopped.value)
    assert not stopped.value.retryable
    assert gitops.rollbacks == 1
    assert ("abort" in gitops.actions) is aborts
    assert "resume" not in gitops.actions
    assert "promote-full" not in gitops.actions


def test_unreadable_metrics_are_no_verdict_and_roll_the_canary_back() -> None:
    gitops, _, deployer = deploy("canary", FakeMetrics(window=None))
    with pytest.raises(DeployError) as stopped:
        deployer.deploy(request("canary"), lambda: False)
    assert "canary gate at 10% has no verdict (no verdict: fake-metrics could not be read" in str(
        stopped.value
    )
    assert gitops.actions == ["abort"]
    assert stopped.value.evidence["steps"][0]["passed"] is None


def test_a_breach_at_full_traffic_rolls_back_after_the_rollout_completed() -> None:
    # Given a canary whose service breaches the error rate only once it has all traffic
    breach = Measurements(requests=100, errors=40, p50_ms=8.0, p95_ms=20.0, p99_ms=30.0)
    gitops, asked, deployer = deploy("canary", FakeMetrics(at={100: breach}))
    # When it runs / Then the 100% step failed, and the application was rolled back (nothing to abort)
    with pytest.raises(DeployError, match=r"canary gate at 100% failed \(error rate 40\.0% exceeds"):
        deployer.deploy(request("canary"), lambda: False)
    assert asked == [10, 50, 100]
    assert gitops.actions == ["resume", "resume"]
    assert gitops.rollbacks == 1


def test_every_remote_canary_step_records_the_revisions_share_and_its_times() -> None:
    # Given healthy metrics and a clock that moves a second at each reading
    ticks = iter(range(60))
    _, _, deployer = deploy("canary", FakeMetrics())
    deployer.clock = lambda: datetime(2026, 12, 3, 12, 0, next(ticks), tzinfo=UTC)

    # When a canary runs
    result = deployer.deploy(request("canary"), lambda: False)

    # Then each step holds the new revision's and the stable one's share, and when it started and ended
    new = COMMIT[:12]
    assert [g.traffic for g in result.gates] == [
        {new: 10, "stable": 90},
        {new: 50, "stable": 50},
        {new: 100, "stable": 0},
    ]
    assert [(g.started_at, g.ended_at) for g in result.gates] == [
        (f"2026-12-03T12:00:0{2 * i}+00:00", f"2026-12-03T12:00:0{2 * i + 1}+00:00") for i in range(3)
    ]
