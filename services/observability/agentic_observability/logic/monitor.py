"""Watch running deployments: probe each on every poll, and raise one ``anomaly.detected`` per
incident (the alert ledger de-duplicates across polls and worker restarts).

Unhealthy: ``failures_needed`` consecutive polls whose health probe failed. Metric anomalies: the
error rate and p95 between two scrapes of ``/metrics``, through the robust detector.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from agentic_common.events.observability import AnomalyDetected, AnomalyWindow

from agentic_observability.logic.histogram import Histogram, measurements_of
from agentic_observability.logic.incident_summary import with_summary
from agentic_observability.logic.running import running
from agentic_observability.logic.streams import StreamWatch, WindowEvent
from agentic_observability.logic.summary import Summarizer, TemplatedSummarizer
from agentic_observability.ports import (
    AlertLedger,
    DeploymentRow,
    DeploymentsReader,
    MetricsSourceError,
    Prober,
)

log = logging.getLogger(__name__)
STREAM_SERIES = ("error_rate", "p95_latency_ms")


@dataclass(frozen=True)
class Incident:
    kind: Literal["unhealthy", "metric_anomaly"]
    fingerprint: str
    series: str
    start: datetime
    end: datetime
    score: float
    reason: str
    evidence: dict[str, object]


@dataclass
class MonitorConfig:
    health_path: str = "/health"
    probes_per_poll: int = 2
    failures_needed: int = 2
    incident_ttl_seconds: int = 3600


@dataclass
class Monitor:
    reader: DeploymentsReader
    prober: Prober
    ledger: AlertLedger
    publish: Callable[[AnomalyDetected], None]
    config: MonitorConfig = field(default_factory=MonitorConfig)
    scrape: Callable[[str], Histogram] | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    streams: StreamWatch = field(default_factory=StreamWatch)
    summarizer: Summarizer = field(default_factory=TemplatedSummarizer)
    _failures: dict[str, int] = field(default_factory=dict)
    _first_failure: dict[str, datetime] = field(default_factory=dict)
    _last_scrape: dict[str, Histogram] = field(default_factory=dict)

    def poll_once(self) -> list[AnomalyDetected]:
        published: list[AnomalyDetected] = []
        watched = running(self.reader.deployments())
        for gone in set(self._failures) - {d.deployment_id for d in watched}:
            self._forget(gone)
        for deployment in watched:
            published.extend(self._check(deployment))
        published = [with_summary(event, self.summarizer) for event in published]
        for event in published:
            self.publish(event)
        return published

    def _forget(self, deployment_id: str) -> None:
        self._failures.pop(deployment_id, None)
        self._first_failure.pop(deployment_id, None)
        self._last_scrape.pop(deployment_id, None)
        self.streams.forget(deployment_id)

    def _check(self, d: DeploymentRow) -> list[AnomalyDetected]:
        assert d.url is not None  # running() keeps only deployments with a URL
        now = self.clock()
        samples = self.prober.probe(d.url.rstrip("/") + self.config.health_path, self.config.probes_per_poll)
        fingerprint = f"unhealthy:{d.deployment_id}"
        if all(s.ok for s in samples):
            if self._failures.get(d.deployment_id, 0) >= self.config.failures_needed:
                log.info("deployment %s of %s is healthy again", d.deployment_id, d.service)
                self.ledger.close(fingerprint)
            self._failures[d.deployment_id] = 0
            self._first_failure.pop(d.deployment_id, None)
            return self._stream_events(d, now)
        failures = self._failures.get(d.deployment_id, 0) + 1
        self._failures[d.deployment_id] = failures
        started = self._first_failure.setdefault(d.deployment_id, now)
        if failures < self.config.failures_needed:
            return []
        if not self.ledger.open(fingerprint, d.service, self.config.incident_ttl_seconds):
            return []  # this incident was already reported
        failed = sum(1 for s in samples if not s.ok)
        return [
            anomaly_event(
                d,
                Incident(
                    "unhealthy",
                    fingerprint,
                    "health",
                    started,
                    now,
                    1.0,
                    f"{d.service} failed {failures} health polls in a row "
                    f"({failed}/{len(samples)} probes of {self.config.health_path} failed)",
                    {"consecutive_failures": failures, "probe_path": self.config.health_path},
                ),
            )
        ]

    def _stream_events(self, d: DeploymentRow, now: datetime) -> list[AnomalyDetected]:
        if self.scrape is None or d.url is None:
            return []
        try:
            current = self.scrape(d.url)
        except MetricsSourceError:
            return []
        previous = self._last_scrape.get(d.deployment_id)
        self._last_scrape[d.deployment_id] = current
        if previous is None:
            return []
        # a restarted process starts its counters again: then the new scrape is the interval
        interval = measurements_of(current.minus(previous) if current.count >= previous.count else current)
        if interval.requests == 0:
            return []
        values = {"error_rate": interval.error_rate, "p95_latency_ms": interval.p95_ms}
        events = []
        for series in STREAM_SERIES:
            window = self.streams.observe((d.deployment_id, series), now, values[series])
            if window is not None:
                events.extend(self._window_event(d, series, window))
        return events

    def _window_event(self, d: DeploymentRow, series: str, window: WindowEvent) -> list[AnomalyDetected]:
        fingerprint = f"anomaly:{d.deployment_id}:{series}"
        if not window.opened:
            self.ledger.close(fingerprint)
            return []
        if not self.ledger.open(fingerprint, d.service, self.config.incident_ttl_seconds):
            return []
        s = window.score
        reason = f"{series} of {d.service} is {s.value:g}, baseline {s.baseline:g} (robust z {s.score:g})"
        return [
            anomaly_event(
                d,
                Incident(
                    "metric_anomaly",
                    fingerprint,
                    series,
                    window.start,
                    window.at,
                    s.score,
                    reason,
                    {"value": s.value, "baseline": s.baseline},
                ),
            )
        ]


def anomaly_event(d: DeploymentRow, incident: Incident) -> AnomalyDetected:
    return AnomalyDetected(
        workflow_id=d.workflow_id or f"monitor-{d.service}",
        kind=incident.kind,
        service=d.service,
        deployment_id=d.deployment_id,
        environment=d.environment,
        incident_id=f"{incident.fingerprint}:{incident.start.isoformat(timespec='seconds')}",
        series=incident.series,
        window=AnomalyWindow(start=incident.start, end=incident.end),
        score=incident.score,
        reason=incident.reason,
        evidence=incident.evidence | {"url": d.url, "version": d.version},
    )
