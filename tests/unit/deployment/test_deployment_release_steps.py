"""Release steps over a fake router: the split each step sets, the gate verdicts, the rollback on failure,
and the rule that a step without a verdict (nothing measured) never advances, whatever the strategy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.events.observability import Slo
from agentic_common.slo import Measurements
from agentic_deployment.adapters.local.traffic_split import NoBackendError, WeightedSplit
from agentic_deployment.logic.release import WARM_UP_REQUESTS, GateFailedError, Release
from agentic_deployment.logic.step_gate import judge_step
from agentic_deployment.logic.strategies import probe_count, steps_for
from agentic_deployment.ports import Gate, Strategy

GATE = Gate(slo=Slo(p95_latency_ms=100, max_error_rate=0.05, requests=10), probe_path="/ready")


@dataclass
class FakeRouter:
    """Routes like the proxy; each probe request goes to the version the exact split picks."""

    failing: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)  # versions whose answers are never measured
    url: str = "http://127.0.0.1:1"
    routes: list[dict[str, int]] = field(default_factory=list)
    split: WeightedSplit = field(default_factory=WeightedSplit)
    seen: dict[str, list[bool]] = field(default_factory=dict)

    def route(self, weights: Mapping[str, int]) -> None:
        self.routes.append(dict(weights))
        self.split.set(weights)

    def new_window(self) -> None:
        self.seen = {}

    def window(self, version: str) -> Measurements:
        answers = self.seen.get(version, [])
        return Measurements(len(answers), sum(answers), 5.0, 9.0, 9.0)

    cold: int = 0  # each version's first answers fail (a fresh process starting), then it serves well
    answered: dict[str, int] = field(default_factory=dict)

    def answer(self, pin: str | None) -> None:
        version = pin or self.split.pick()
        self.answered[version] = self.answered.get(version, 0) + 1
        if version not in self.silent:
            cold = self.answered[version] <= self.cold
            self.seen.setdefault(version, []).append(version in self.failing or cold)


@dataclass
class FakeProbe:
    router: FakeRouter
    sent: list[tuple[str, int, str | None]] = field(default_factory=list)

    def send(self, url: str, path: str, count: int, pin: str | None = None) -> None:
        self.sent.append((path, count, pin))
        for _ in range(count):
            self.router.answer(pin)


def test_the_exact_split_sends_one_in_ten_requests_to_a_ten_percent_version() -> None:
    split = WeightedSplit()
    split.set({"old": 90, "new": 10})
    picks = [split.pick() for _ in range(100)]
    assert picks.count("new") == 10
    split.set({"old": 0})
    with pytest.raises(NoBackendError):
        split.pick()


def test_a_canary_moves_ten_then_fifty_then_all_traffic_each_step_gated() -> None:
    router = FakeRouter()
    probe = FakeProbe(router)
    steps = Release(router, probe, GATE).run("canary", "v1", "v2")
    assert router.routes == [{"v1": 90, "v2": 10}, {"v1": 50, "v2": 50}, {"v2": 100}]
    assert [s.passed for s in steps] == [True, True, True]
    assert [count for _, count, _ in probe.sent] == [WARM_UP_REQUESTS, 100, 20, 10]
    assert all(s.measurements is not None and s.measurements["requests"] == 10 for s in steps)


def test_a_failing_canary_step_sends_all_traffic_back_and_says_why() -> None:
    router = FakeRouter(failing={"v2"})
    with pytest.raises(GateFailedError) as failed:
        Release(router, FakeProbe(router), GATE).run("canary", "v1", "v2")
    assert router.routes[-1] == {"v1": 100}
    assert "canary step 1 (10% of traffic) of v2 failed its SLO gate: error rate" in str(failed.value)
    assert "traffic is back on v1" in str(failed.value)
    assert failed.value.evidence["steps"][0]["passed"] is False


def test_blue_green_judges_green_on_pinned_probes_before_switching_and_again_at_full_traffic() -> None:
    router = FakeRouter()
    probe = FakeProbe(router)
    steps = Release(router, probe, GATE).run("blue-green", "blue", "green")
    assert router.routes == [{"blue": 100}, {"green": 100}]
    warm_up = ("/ready", WARM_UP_REQUESTS, "green")
    assert probe.sent == [warm_up, ("/ready", 10, "green"), ("/ready", 10, None)]
    assert [s.passed for s in steps] == [True, True]
    assert all(s.measurements is not None and s.measurements["requests"] == 10 for s in steps)


def test_a_failing_green_never_takes_traffic() -> None:
    router = FakeRouter(failing={"green"})
    with pytest.raises(GateFailedError):
        Release(router, FakeProbe(router), GATE).run("blue-green", "blue", "green")
    assert {"green": 100} not in router.routes


def test_rolling_switches_at_once_and_is_judged_at_full_traffic() -> None:
    router = FakeRouter()
    steps = Release(router, FakeProbe(router), GATE).run("rolling", "v1", "v2")
    assert router.routes == [{"v2": 100}]
    assert [(s.weight, s.passed) for s in steps] == [(100, True)]
    assert steps[0].measurements is not None
    assert steps[0].measurements["requests"] == 10


def test_a_failing_rolling_step_sends_all_traffic_back() -> None:
    router = FakeRouter(failing={"v2"})
    with pytest.raises(
        GateFailedError, match=r"rolling step 1 \(100% of traffic\) of v2 failed its SLO gate"
    ):
        Release(router, FakeProbe(router), GATE).run("rolling", "v1", "v2")
    assert router.routes[-1] == {"v1": 100}


def test_the_new_versions_warm_up_answers_are_pinned_to_it_and_never_judged() -> None:
    # Given a new version whose first answers fail as it starts, then serve well
    router = FakeRouter(cold=WARM_UP_REQUESTS)
    probe = FakeProbe(router)
    # When it is released
    steps = Release(router, probe, GATE).run("rolling", "v1", "v2")
    # Then the warm-up went to it alone, before it took any traffic, and only later answers were judged
    assert probe.sent[0] == ("/ready", WARM_UP_REQUESTS, "v2")
    assert [(s.passed, s.measurements["errors"] if s.measurements else None) for s in steps] == [(True, 0)]


def test_a_version_still_failing_after_its_warm_up_is_stopped() -> None:
    router = FakeRouter(cold=WARM_UP_REQUESTS + 1)
    with pytest.raises(GateFailedError, match="failed its SLO gate"):
        Release(router, FakeProbe(router), GATE).run("rolling", "v1", "v2")


def test_a_first_release_is_judged_at_full_traffic_whatever_the_strategy() -> None:
    assert [s.weight for s in steps_for("canary", False)] == [100]
    assert [s.weight for s in steps_for("blue-green", False)] == [100]
    router = FakeRouter(failing={"v1"})
    with pytest.raises(GateFailedError, match="no earlier version to return to"):
        Release(router, FakeProbe(router), GATE).run("canary", None, "v1")
    assert router.routes[-1] == {}


def test_probe_count_covers_the_wanted_requests_at_the_step_share() -> None:
    canary = steps_for("canary", True)
    assert [probe_count(s, 20) for s in canary] == [200, 40, 20]


@pytest.mark.parametrize(
    ("strategy", "label"),
    [("rolling", "100% of traffic"), ("canary", "10% of traffic"), ("blue-green", "preview (0% of traffic)")],
)
def test_a_step_with_no_measurements_does_not_advance(strategy: Strategy, label: str) -> None:
    # Given a new version whose answers the router never measures
    router = FakeRouter(silent={"v2"})
    # When it is released
    with pytest.raises(GateFailedError) as stopped:
        Release(router, FakeProbe(router), GATE).run(strategy, "v1", "v2")
    # Then its first step has no verdict, the release stops there, and v1 has all traffic again
    assert f"{strategy} step 1 ({label}) of v2 has no gate verdict: only 0 request(s)" in str(stopped.value)
    assert [s.passed for s in stopped.value.steps] == [None]
    assert router.routes[-1] == {"v1": 100}


def test_too_few_measured_requests_is_no_verdict_even_when_they_all_passed() -> None:
    # Given a window with fewer requests than the gate needs, all fast and successful
    measured = Measurements(requests=GATE.slo.requests - 1, errors=0, p50_ms=1.0, p95_ms=1.0, p99_ms=1.0)
    # When the step is judged
    result = judge_step(10, "10% of traffic", GATE, measured, source="test")
    # Then it has no verdict (it cannot advance) and the measurements are recorded
    assert result.passed is None
    assert not result.advances
    assert result.measurements is not None
    assert result.measurements["requests"] == GATE.slo.requests - 1


@dataclass
class TickingClock:
    """A clock that moves one second each time it is read."""

    now: datetime = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def test_every_canary_step_records_each_versions_share_and_when_it_ran() -> None:
    # Given a canary of v2 over v1 and a clock
    router = FakeRouter()

    # When it runs
    steps = Release(router, FakeProbe(router), GATE, TickingClock()).run("canary", "v1", "v2")

    # Then each step holds both versions' shares, and its start and end, one after another
    assert [s.traffic for s in steps] == [{"v2": 10, "v1": 90}, {"v2": 50, "v1": 50}, {"v2": 100, "v1": 0}]
    times = [t for s in steps for t in (s.started_at, s.ended_at)]
    assert times == sorted(times)
    assert len(set(times)) == 6
    assert steps[0].as_dict()["started_at"] == "2026-12-03T12:00:01+00:00"


@pytest.mark.parametrize("strategy", ["rolling", "canary", "blue-green"])
def test_a_first_release_records_its_step_with_all_traffic_on_the_new_version_and_its_times(
    strategy: Strategy,
) -> None:
    # Given no earlier version
    router = FakeRouter()

    # When the first release runs
    steps = Release(router, FakeProbe(router), GATE, TickingClock()).run(strategy, None, "v1")

    # Then its one step says who had the traffic, when it started and ended, and its SLO checks
    (step,) = steps
    assert step.traffic == {"v1": 100}
    assert (step.started_at, step.ended_at) == ("2026-12-03T12:00:01+00:00", "2026-12-03T12:00:02+00:00")
    assert step.passed is True
    assert step.evidence


def test_a_blue_green_preview_records_green_at_no_share_while_blue_keeps_all() -> None:
    # Given a blue-green release of v2 over v1
    router = FakeRouter()

    # When it runs
    steps = Release(router, FakeProbe(router), GATE, TickingClock()).run("blue-green", "v1", "v2")

    # Then the preview step shows blue on all traffic, the switch shows green on all
    assert [s.traffic for s in steps] == [{"v2": 0, "v1": 100}, {"v2": 100, "v1": 0}]


def test_a_stopped_step_is_recorded_with_its_times_in_the_failure_evidence() -> None:
    # Given a canary whose new version fails
    router = FakeRouter(failing={"v2"})

    # When it runs, Then the failure's evidence holds the stopped step with its shares and times
    with pytest.raises(GateFailedError) as failed:
        Release(router, FakeProbe(router), GATE, TickingClock()).run("canary", "v1", "v2")
    (stopped,) = failed.value.evidence["steps"]
    assert stopped["traffic"] == {"v2": 10, "v1": 90}
    assert stopped["started_at"] < stopped["ended_at"]
