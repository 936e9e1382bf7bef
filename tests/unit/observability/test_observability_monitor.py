"""The deployment monitor with fakes: one anomaly.detected per incident, not one per poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agentic_common.events.observability import Slo
from agentic_observability.adapters.tables import MemoryAlertLedger
from agentic_observability.logic.histogram import Histogram
from agentic_observability.logic.monitor import Monitor, MonitorConfig
from agentic_observability.logic.objective import ObjectiveBook
from agentic_observability.ports import DeploymentRow, ProbeSample, WorkflowRow

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def row(
    deployment_id: str = "dep-1",
    status: str = "success",
    minutes: int = 0,
    service: str = "orders",
    url: str | None = "http://127.0.0.1:9001",
) -> DeploymentRow:
    return DeploymentRow(
        deployment_id, T0 + timedelta(minutes=minutes), "wf-1", service, "dev", "abc", status, url
    )


class Table:
    def __init__(self, rows: list[DeploymentRow]) -> None:
        self.rows = rows

    def deployments(self) -> list[DeploymentRow]:
        return self.rows

    def workflows(self) -> list[WorkflowRow]:
        return []


class SwitchableProber:
    def __init__(self) -> None:
        self.healthy = True
        self.urls: list[str] = []

    def probe(self, url: str, requests: int) -> list[ProbeSample]:
        self.urls.append(url)
        return [ProbeSample(3.0, self.healthy)] * requests


def monitor(rows: list[DeploymentRow], prober: SwitchableProber, published: list, **kwargs) -> Monitor:
    return Monitor(
        reader=Table(rows),
        prober=prober,
        ledger=MemoryAlertLedger(),
        publish=published.append,
        config=MonitorConfig(failures_needed=2),
        **kwargs,
    )


def test_a_deployment_that_stays_down_is_reported_once():
    # Given a running deployment that stops answering
    prober, published = SwitchableProber(), []
    m = monitor([row()], prober, published)
    m.poll_once()
    prober.healthy = False
    # When it is polled five times
    for _ in range(5):
        m.poll_once()
    # Then exactly one anomaly.detected names the service, the deployment and the environment
    assert len(published) == 1
    event = published[0]
    assert (event.kind, event.service, event.deployment_id, event.environment) == (
        "unhealthy",
        "orders",
        "dep-1",
        "dev",
    )
    assert event.series == "health"
    assert event.incident_id.startswith("unhealthy:dep-1:")
    assert prober.urls[0] == "http://127.0.0.1:9001/health"
    # with an incident summary whose claim cites the symptom
    assert event.summary is not None
    assert "[symptom]" in event.summary
    assert event.summary.endswith("[slo]")


def test_one_failed_poll_is_not_yet_an_incident():
    prober, published = SwitchableProber(), []
    m = monitor([row()], prober, published)
    prober.healthy = False
    m.poll_once()
    assert published == []


def test_a_new_incident_after_recovery_is_reported_again():
    prober, published = SwitchableProber(), []
    m = monitor([row()], prober, published)
    for healthy in (False, False, True, False, False, False):
        prober.healthy = healthy
        m.poll_once()
    assert len(published) == 2


def test_stopped_rolled_back_and_replaced_deployments_are_not_watched():
    # Given an old deployment replaced by a newer one, and one rolled back after it started
    rows = [
        row("dep-old", minutes=0, url="http://127.0.0.1:1"),
        row("dep-new", minutes=5, url="http://127.0.0.1:2"),
        row("dep-x", service="billing", url="http://127.0.0.1:3"),
        row("dep-x", service="billing", status="rolled_back", minutes=1, url="http://127.0.0.1:3"),
    ]
    prober = SwitchableProber()
    # When polled
    monitor(rows, prober, []).poll_once()
    # Then only the newest running deployment is probed
    assert prober.urls == ["http://127.0.0.1:2/health"]


def test_an_error_rate_jump_on_the_metric_stream_is_a_metric_anomaly():
    # Given a service whose scraped counters grow by 100 requests per poll, 1 error, then 60 errors
    scrapes = iter(range(1000))
    errors_per_poll = [1] * 40 + [60] * 3 + [1] * 3
    totals: list[Histogram] = []
    count = errors = 0.0
    for e in errors_per_poll:
        count, errors = count + 100, errors + e + (next(scrapes) % 2)
        totals.append(Histogram({0.1: count, float("inf"): count}, count, errors))
    feed = iter(totals)
    prober, published = SwitchableProber(), []
    m = monitor([row()], prober, published, scrape=lambda url: next(feed))
    # When polled once per scrape
    for _ in totals:
        m.poll_once()
    # Then the jump is one metric_anomaly on the error_rate series, with a window and a score
    anomalies = [e for e in published if e.kind == "metric_anomaly"]
    assert len(anomalies) == 1
    assert anomalies[0].series == "error_rate"
    assert anomalies[0].score > 4
    assert anomalies[0].window is not None


def test_counters_that_restart_with_the_process_are_read_as_a_fresh_interval():
    # Given scrapes whose counters drop (the service was restarted) and then grow normally
    counts = [1000.0, 1100.0, 5.0, 105.0]
    feed = iter(Histogram({0.1: c, float("inf"): c}, c, 0.0) for c in counts)
    seen: list[float] = []
    prober, published = SwitchableProber(), []
    m = monitor([row()], prober, published, scrape=lambda url: next(feed))
    original = m.streams.observe
    m.streams.observe = lambda key, at, value: seen.append(value) or original(key, at, value)  # type: ignore[method-assign]
    # When polled through the restart
    for _ in counts:
        m.poll_once()
    # Then every interval fed to the detectors is a real one (no negative rates), and nothing is reported
    assert all(v >= 0 for v in seen)
    assert len(seen) == 6  # 3 intervals x 2 series
    assert published == []


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def seconds(self) -> float:
        return self.now.timestamp()


def failing_every_15_seconds(published: list, repeat_seconds: float):
    """A monitor of one deployment that fails every probe; ``poll(n)`` polls n times, 15 s apart."""
    prober, clock = SwitchableProber(), Clock()
    prober.healthy = False
    m = Monitor(
        reader=Table([row()]),
        prober=prober,
        ledger=MemoryAlertLedger(clock=clock.seconds),
        publish=published.append,
        config=MonitorConfig(failures_needed=2, unhealthy_repeat_seconds=repeat_seconds),
        clock=clock,
    )

    def poll(times: int) -> None:
        for _ in range(times):
            m.poll_once()
            clock.now += timedelta(seconds=15)

    return poll


def test_a_deployment_still_down_after_the_repeat_interval_is_a_new_incident():
    # Given a deployment reported unhealthy, never seen healthy again (restarted and killed again
    # between two polls, or the action did not help)
    published: list = []
    poll = failing_every_15_seconds(published, repeat_seconds=60)
    poll(3)
    assert len(published) == 1
    # When it is still failing past the repeat interval
    poll(4)
    # Then it is reported once more, as a new incident with the whole streak as its evidence
    assert len(published) == 2
    first, second = published
    assert first.incident_id != second.incident_id
    assert second.incident_id.startswith("unhealthy:dep-1:")
    assert second.check is not None
    assert second.check.actionable
    assert "failed 5 health polls in a row (10/10 probes" in second.reason


def test_within_the_repeat_interval_a_long_outage_stays_one_incident():
    published: list = []
    failing_every_15_seconds(published, repeat_seconds=600)(30)
    assert len(published) == 1


class NoReads:
    """A declared-SLO source that must not be asked (the verification already said it)."""

    def declared(self, deployment: DeploymentRow) -> Slo | None:
        raise AssertionError(f"the workflow of {deployment.deployment_id} was read")


def telling(told: list[str]) -> dict[str, object]:
    return {"announce": lambda _id: told.append("announce"), "expect_changes": lambda: told.append("expect")}


def test_a_met_verification_gives_the_deployment_its_declared_objective_without_a_read():
    # Given a monitor told of each verification
    told: list[str] = []
    m = monitor([row()], SwitchableProber(), [], objectives=ObjectiveBook(NoReads()), **telling(told))
    # When a verification of dep-1 met its SLO
    m.verified("dep-1", "dev", Slo(p95_latency_ms=250, max_error_rate=0.001, requests=30), breached=False)
    # Then its objective is the declared SLO (stricter than dev's row), and the monitor polls now
    objective = m.objectives.for_deployment(row())
    assert objective is not None
    assert (objective.slo.p95_latency_ms, objective.slo.max_error_rate) == (250, 0.001)
    assert told == ["announce"]


def test_a_breached_verification_makes_the_monitor_expect_remediation():
    told: list[str] = []
    m = monitor([row()], SwitchableProber(), [], **telling(told))
    m.verified("dep-1", "dev", None, breached=True)
    assert told == ["expect", "announce"]
