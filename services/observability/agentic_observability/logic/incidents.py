"""One incident as the monitor reports it, and the ``anomaly.detected`` event that carries it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agentic_common.events.observability import AnomalyDetected, AnomalyWindow, SloCheck

from agentic_observability.ports import DeploymentRow


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
    check: SloCheck | None = None


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
        check=incident.check,
    )
