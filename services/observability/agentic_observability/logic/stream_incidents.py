"""Incidents on a deployment's metric streams (error rate, p95 between two scrapes).

An anomaly window that opens is reported once, with the SLO evidence of that point: advisory when the
service still meets its objective, actionable when the evidence rule holds. When a window opened on
advisory evidence and the evidence becomes actionable while it stays open (a latency that keeps
climbing through the objective), that is reported once more, as its own incident: it is the one a
machine may act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agentic_common.events.observability import AnomalyDetected, SloCheck
from agentic_common.slo import Measurements

from agentic_observability.logic.evidence import EvidenceRule, Objective, slo_check
from agentic_observability.logic.incidents import Incident, anomaly_event
from agentic_observability.logic.streams import Observation, StreamWatch
from agentic_observability.ports import AlertLedger, DeploymentRow

STREAM_SERIES = ("error_rate", "p95_latency_ms")


@dataclass
class StreamIncidents:
    ledger: AlertLedger
    streams: StreamWatch
    rule: EvidenceRule
    ttl_seconds: int

    def observe(
        self, d: DeploymentRow, now: datetime, interval: Measurements, objective: Objective | None
    ) -> list[AnomalyDetected]:
        values = {"error_rate": interval.error_rate, "p95_latency_ms": interval.p95_ms}
        events: list[AnomalyDetected] = []
        for series in STREAM_SERIES:
            seen = self.streams.observe((d.deployment_id, series), now, values[series])
            check = None
            if objective is not None:
                check = slo_check(
                    series,
                    interval,
                    baseline=seen.score.baseline,
                    objective=objective,
                    min_samples=objective.slo.requests,
                    rule=self.rule,
                )
            events.extend(self._incidents(d, series, now, seen, check))
        return events

    def _incidents(
        self, d: DeploymentRow, series: str, now: datetime, seen: Observation, check: SloCheck | None
    ) -> list[AnomalyDetected]:
        anomaly = f"anomaly:{d.deployment_id}:{series}"
        actionable = f"actionable:{d.deployment_id}:{series}"
        window = seen.window
        if window is not None and not window.opened:
            self.ledger.close(anomaly)
            self.ledger.close(actionable)
            return []
        ready = check is not None and check.actionable
        if window is not None:
            if not self.ledger.open(anomaly, d.service, self.ttl_seconds):
                return []  # this incident was already reported (another worker, or before a restart)
            if ready:
                self.ledger.open(actionable, d.service, self.ttl_seconds)
            return [self._event(d, series, anomaly, span=(window.start, now), seen=seen, check=check)]
        if seen.open_since is None or not ready:
            return []
        if not self.ledger.open(actionable, d.service, self.ttl_seconds):
            return []
        return [self._event(d, series, actionable, span=(seen.open_since, now), seen=seen, check=check)]

    def _event(
        self,
        d: DeploymentRow,
        series: str,
        fingerprint: str,
        *,
        span: tuple[datetime, datetime],
        seen: Observation,
        check: SloCheck | None,
    ) -> AnomalyDetected:
        s = seen.score
        reason = f"{series} of {d.service} is {s.value:g}, baseline {s.baseline:g} (robust z {s.score:g})"
        incident = Incident(
            "metric_anomaly",
            fingerprint,
            series,
            *span,
            s.score,
            reason,
            {"value": s.value, "baseline": s.baseline},
            check,
        )
        return anomaly_event(d, incident)
