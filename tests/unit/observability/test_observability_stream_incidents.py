"""Metric-stream incidents carry their SLO evidence: a window that opens under the objective is advisory,
and the same window crossing the objective is reported once more, as the actionable incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agentic_common.events.observability import AnomalyDetected
from agentic_common.slo import Measurements
from agentic_observability.adapters.tables import MemoryAlertLedger
from agentic_observability.logic.evidence import EvidenceRule
from agentic_observability.logic.objective import objective_for
from agentic_observability.logic.stream_incidents import StreamIncidents
from agentic_observability.logic.streams import StreamWatch

from tests.unit.observability.test_observability_monitor import row

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def interval(p95: float, requests: int = 60) -> Measurements:
    return Measurements(requests=requests, errors=0, p50_ms=p95 / 2, p95_ms=p95, p99_ms=p95)


class Feed:
    def __init__(self, environment: str = "dev") -> None:
        self.incidents = StreamIncidents(MemoryAlertLedger(), StreamWatch(), EvidenceRule(), 3600)
        self.deployment = row()
        self.objective = objective_for(environment)
        self.at = T0
        self.events: list[AnomalyDetected] = []

    def p95(self, *values: float, requests: int = 60) -> list[AnomalyDetected]:
        new: list[AnomalyDetected] = []
        for value in values:
            self.at += timedelta(seconds=15)
            new += self.incidents.observe(self.deployment, self.at, interval(value, requests), self.objective)
        self.events += new
        return new

    def warm(self) -> None:
        # p95 around 100 ms, wobbling by up to 5 ms (deterministic)
        self.p95(*(100 + (i * 37) % 11 - 5 for i in range(40)))


def test_a_latency_anomaly_under_the_objective_is_reported_with_advisory_evidence() -> None:
    # Given a stream that learned p95 ~100 ms
    feed = Feed()
    feed.warm()
    # When p95 jumps to 300 ms (anomalous, but the objective is 500 ms)
    [event] = feed.p95(300)
    # Then one metric anomaly, whose evidence says it meets the objective
    assert (event.kind, event.series) == ("metric_anomaly", "p95_latency_ms")
    assert event.check is not None
    assert (event.check.breached, event.check.actionable) == (False, False)
    assert event.incident_id is not None
    assert event.incident_id.startswith("anomaly:dep-1:p95_latency_ms:")


def test_an_open_window_that_crosses_the_objective_is_reported_once_more_as_actionable() -> None:
    # Given an advisory window open at 300 ms
    feed = Feed()
    feed.warm()
    feed.p95(300)
    # When the latency keeps climbing through the objective, and stays there
    crossed = feed.p95(900, 950, 1000)
    # Then exactly one more incident, actionable, with its own incident id
    [event] = crossed
    assert event.check is not None
    assert event.check.actionable
    assert event.check.effect > 1
    assert event.incident_id is not None
    assert event.incident_id.startswith("actionable:dep-1:p95_latency_ms:")


def test_a_window_that_opens_over_the_objective_is_reported_once_as_actionable() -> None:
    feed = Feed()
    feed.warm()
    [event] = feed.p95(900, 950)
    assert event.check is not None
    assert event.check.actionable
    assert event.incident_id is not None
    assert event.incident_id.startswith("anomaly:")


def test_a_breach_on_too_few_requests_stays_advisory() -> None:
    feed = Feed()
    feed.warm()
    [event] = feed.p95(900, 950, requests=5)
    assert event.check is not None
    assert not event.check.actionable
    assert "only 5 requests in the window; at least 20 are needed" in event.check.reasons


def test_after_the_window_closes_a_new_breach_is_a_new_incident() -> None:
    feed = Feed()
    feed.warm()
    feed.p95(900)
    feed.p95(100, 101, 99)
    again = feed.p95(900)
    assert [e.check.actionable for e in again if e.check] == [True]
    assert len({e.incident_id for e in feed.events}) == 2


def test_an_environment_without_rules_gives_anomalies_without_evidence() -> None:
    feed = Feed(environment="qa")
    feed.warm()
    [event] = feed.p95(900)
    assert event.check is None
