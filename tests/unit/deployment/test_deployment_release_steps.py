"""Release steps over a fake router: the split each step sets, the gate verdicts, the rollback on failure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest
from agentic_common.events.observability import Slo
from agentic_common.slo import Measurements
from agentic_deployment.adapters.traffic_split import NoBackendError, WeightedSplit
from agentic_deployment.logic.release import GateFailedError, Release
from agentic_deployment.logic.strategies import probe_count, steps_for
from agentic_deployment.ports import Gate

GATE = Gate(slo=Slo(p95_latency_ms=100, max_error_rate=0.05, requests=10), probe_path="/ready")


@dataclass
class FakeRouter:
    """Routes like the proxy; each probe request goes to the version the exact split picks."""

    failing: set[str] = field(default_factory=set)
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

    def answer(self, pin: str | None) -> None:
        version = pin or self.split.pick()
        self.seen.setdefault(version, []).append(version in self.failing)


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
    assert [count for _, count, _ in probe.sent] == [100, 20, 10]
    assert all(s.measurements is not None and s.measurements["requests"] == 10 for s in steps)


def test_a_failing_canary_step_sends_all_traffic_back_and_says_why() -> None:
    router = FakeRouter(failing={"v2"})
    with pytest.raises(GateFailedError) as failed:
        Release(router, FakeProbe(router), GATE).run("canary", "v1", "v2")
    assert router.routes[-1] == {"v1": 100}
    assert "canary step 1 (10% of traffic) of v2 failed its SLO gate: error rate" in str(failed.value)
    assert "traffic is back on v1" in str(failed.value)
    assert failed.value.evidence["steps"][0]["passed"] is False


def test_blue_green_judges_green_on_pinned_probes_before_switching() -> None:
    router = FakeRouter()
    probe = FakeProbe(router)
    steps = Release(router, probe, GATE).run("blue-green", "blue", "green")
    assert router.routes == [{"blue": 100}, {"green": 100}]
    assert probe.sent == [("/ready", 10, "green")]
    assert [s.passed for s in steps] == [True, None]


def test_a_failing_green_never_takes_traffic() -> None:
    router = FakeRouter(failing={"green"})
    with pytest.raises(GateFailedError):
        Release(router, FakeProbe(router), GATE).run("blue-green", "blue", "green")
    assert {"green": 100} not in router.routes


def test_rolling_switches_at_once_and_a_first_gated_release_is_judged_at_full_traffic() -> None:
    assert [(s.weight, s.gated) for s in steps_for("rolling", True)] == [(100, False)]
    assert [(s.weight, s.gated) for s in steps_for("canary", False)] == [(100, True)]
    router = FakeRouter(failing={"v1"})
    with pytest.raises(GateFailedError, match="no earlier version to return to"):
        Release(router, FakeProbe(router), GATE).run("canary", None, "v1")
    assert router.routes[-1] == {}


def test_probe_count_covers_the_wanted_requests_at_the_step_share() -> None:
    canary = steps_for("canary", True)
    assert [probe_count(s, 20) for s in canary] == [200, 40, 20]
