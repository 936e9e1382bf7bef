"""Watch running deployments: probe each on every poll, and raise one ``anomaly.detected`` per
incident (the alert ledger de-duplicates across polls and worker restarts).

Unhealthy: ``failures_needed`` consecutive polls whose health probe failed. A deployment still failing
``unhealthy_repeat_seconds`` after its incident opened (the action did not help, or it failed again before
a poll saw it healthy) is a new incident: reported again, so remediation acts again within its loop
bound and then asks a person, instead of the service staying down unseen. Metric anomalies: the
error rate and p95 between two scrapes of ``/metrics``, through the robust detector
(``stream_incidents``). Every incident carries its SLO evidence (``check``) against the
deployment's objective; only actionable evidence lets remediation act without a person.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from agentic_common.events.observability import AnomalyDetected, Slo, SloCheck
from agentic_common.slo import Measurements

from agentic_observability.logic.evidence import EvidenceRule, slo_check
from agentic_observability.logic.histogram import Histogram, measurements_of
from agentic_observability.logic.incident_summary import with_summary
from agentic_observability.logic.incidents import Incident, anomaly_event
from agentic_observability.logic.objective import ObjectiveBook
from agentic_observability.logic.running import running
from agentic_observability.logic.stream_incidents import StreamIncidents
from agentic_observability.logic.streams import StreamWatch
from agentic_observability.logic.summary import TemplatedSummarizer
from agentic_observability.ports import (
    AlertLedger,
    DeploymentRow,
    DeploymentsReader,
    MetricsSourceError,
    Prober,
    Summarizer,
)

log = logging.getLogger(__name__)


@dataclass
class MonitorConfig:
    health_path: str = "/health"
    probes_per_poll: int = 2
    failures_needed: int = 2
    incident_ttl_seconds: int = 3600
    unhealthy_repeat_seconds: float = 300.0


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
    objectives: ObjectiveBook = field(default_factory=ObjectiveBook)
    rule: EvidenceRule = field(default_factory=EvidenceRule)
    # told when a poll saw a failing probe or raised an incident: remediation may change the deployments
    expect_changes: Callable[[], None] = lambda: None
    announce: Callable[[str], None] = lambda _id: None  # told of each verified deployment: poll now
    _failures: dict[str, int] = field(default_factory=dict)
    _failed_probes: dict[str, tuple[int, int]] = field(default_factory=dict)
    _first_failure: dict[str, datetime] = field(default_factory=dict)
    _last_scrape: dict[str, Histogram] = field(default_factory=dict)

    def poll_once(self) -> list[AnomalyDetected]:
        published: list[AnomalyDetected] = []
        watched = running(self.reader.deployments())
        for gone in set(self._failures) - {d.deployment_id for d in watched}:
            self._forget(gone)
        for deployment in watched:
            published.extend(self._check(deployment))
        if published or any(self._failures.values()):
            self.expect_changes()
        published = [with_summary(event, self.summarizer) for event in published]
        for event in published:
            self.publish(event)
        return published

    def verified(self, deployment_id: str, environment: str, slo: Slo | None, *, breached: bool) -> None:
        """A verify task judged ``deployment_id``: watch it from now on. Met, its SLO is the declared one
        (no read of its workflow later); breached, remediation may act on it."""
        if slo is not None and not breached:
            self.objectives.learn(deployment_id, environment, slo)
        if breached:
            self.expect_changes()
        self.announce(deployment_id)

    def _forget(self, deployment_id: str) -> None:
        self._failures.pop(deployment_id, None)
        self._failed_probes.pop(deployment_id, None)
        self._first_failure.pop(deployment_id, None)
        self._last_scrape.pop(deployment_id, None)
        self.streams.forget(deployment_id)
        self.objectives.forget(deployment_id)

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
            self._failed_probes.pop(d.deployment_id, None)
            self._first_failure.pop(d.deployment_id, None)
            return self._stream_events(d, now)
        failures = self._failures.get(d.deployment_id, 0) + 1
        self._failures[d.deployment_id] = failures
        failed, sent = self._failed_probes.get(d.deployment_id, (0, 0))
        failed, sent = failed + sum(1 for s in samples if not s.ok), sent + len(samples)
        self._failed_probes[d.deployment_id] = (failed, sent)
        started = self._first_failure.setdefault(d.deployment_id, now)
        if failures < self.config.failures_needed:
            return []
        if not self.ledger.open(fingerprint, d.service, self.config.incident_ttl_seconds):
            if (now - started).total_seconds() < self.config.unhealthy_repeat_seconds:
                return []  # this incident was already reported
            started = self._reopen(d.deployment_id, fingerprint, now)
            if not self.ledger.open(fingerprint, d.service, self.config.incident_ttl_seconds):
                return []  # another monitor reopened it first
        check = self._health_check(d, failed, sent)
        reason = (
            f"{d.service} failed {failures} health polls in a row "
            f"({failed}/{sent} probes of {self.config.health_path} failed)"
        )
        evidence: dict[str, object] = {
            "consecutive_failures": failures,
            "probe_path": self.config.health_path,
        }
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
                    reason,
                    evidence,
                    check,
                ),
            )
        ]

    def _reopen(self, deployment_id: str, fingerprint: str, now: datetime) -> datetime:
        """Close a long-open unhealthy incident; the failing streak goes on as a new incident from now."""
        log.warning("deployment %s is still unhealthy: reporting it as a new incident", deployment_id)
        self.ledger.close(fingerprint)
        self._first_failure[deployment_id] = now
        return now

    def _health_check(self, d: DeploymentRow, failed: int, sent: int) -> SloCheck | None:
        """Failed probes of the streak against the error-rate objective; it answered before (baseline 0)."""
        objective = self.objectives.for_deployment(d)
        if objective is None:
            return None
        probes = Measurements(requests=sent, errors=failed, p50_ms=0.0, p95_ms=0.0, p99_ms=0.0)
        needed = self.config.failures_needed * self.config.probes_per_poll
        return slo_check(
            "health",
            probes,
            baseline=0.0,
            objective=objective,
            min_samples=needed,
            rule=self.rule,
            unit="probes",
        )

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
        incidents = StreamIncidents(self.ledger, self.streams, self.rule, self.config.incident_ttl_seconds)
        return incidents.observe(d, now, interval, self.objectives.for_deployment(d))
