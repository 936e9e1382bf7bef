"""Alertmanager webhook → ``anomaly.detected``: new firing alerts, de-duplicated by fingerprint (the
alert ledger, with a TTL), grouped into one event per service. Resolved alerts close their
fingerprint, so the next firing is a new incident."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agentic_common.events.observability import AnomalyDetected, AnomalyWindow
from pydantic import BaseModel, ConfigDict, Field, field_validator

from agentic_observability.logic.running import running
from agentic_observability.ports import AlertLedger, DeploymentRow

SEVERITY_SCORE = {"critical": 1.0, "page": 1.0, "error": 0.8, "warning": 0.5, "info": 0.2}


class Alert(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    status: Literal["firing", "resolved"]
    labels: dict[str, str]
    annotations: dict[str, str] = Field(default_factory=dict)
    startsAt: datetime  # noqa: N815 - Alertmanager's field name
    fingerprint: str = Field(min_length=1, max_length=128)

    @field_validator("startsAt", mode="before")
    @classmethod
    def _timestamp_text(cls, value: object) -> object:
        """An RFC 3339 string, as Alertmanager sends (pydantic's lax mode took a number as a Unix time)."""
        if not isinstance(value, str | datetime):
            raise ValueError("startsAt must be an RFC 3339 timestamp, e.g. 2026-12-03T10:00:00Z")
        return value

    @property
    def service(self) -> str | None:
        return self.labels.get("service") or self.labels.get("job")


class AlertmanagerWebhook(BaseModel):
    """The documented webhook payload (version 4); fields we do not use are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: str = "4"
    status: Literal["firing", "resolved"]
    receiver: str = ""
    groupKey: str = ""  # noqa: N815
    alerts: list[Alert] = Field(min_length=1, max_length=1000)


@dataclass(frozen=True)
class IntakeResult:
    events: list[AnomalyDetected]
    new: int
    duplicates: int
    resolved: int
    unattributed: list[str]


def intake(
    hook: AlertmanagerWebhook, ledger: AlertLedger, deployments: list[DeploymentRow], now: datetime, ttl: int
) -> IntakeResult:
    live = {row.service: row for row in running(deployments)}
    grouped: dict[str, list[Alert]] = defaultdict(list)
    # a fingerprint repeated within one webhook is the same alert: counted, never written twice
    distinct = {alert.fingerprint: alert for alert in hook.alerts}
    duplicates, resolved = len(hook.alerts) - len(distinct), 0
    unattributed = []
    for alert in distinct.values():
        fingerprint = f"alertmanager:{alert.fingerprint}"
        if alert.status == "resolved":
            ledger.close(fingerprint)
            resolved += 1
        elif alert.service is None:
            unattributed.append(alert.fingerprint)
        elif ledger.open(fingerprint, alert.service, ttl):
            grouped[alert.service].append(alert)
        else:
            duplicates += 1
    events = [_event(service, alerts, live.get(service), now) for service, alerts in sorted(grouped.items())]
    return IntakeResult(events, sum(len(a) for a in grouped.values()), duplicates, resolved, unattributed)


def _event(
    service: str, alerts: list[Alert], deployment: DeploymentRow | None, now: datetime
) -> AnomalyDetected:
    names = sorted({a.labels.get("alertname", "unnamed") for a in alerts})
    start = min(a.startsAt for a in alerts)
    score = max(SEVERITY_SCORE.get(a.labels.get("severity", ""), 0.5) for a in alerts)
    environment = alerts[0].labels.get("environment") or (deployment.environment if deployment else None)
    return AnomalyDetected(
        workflow_id=deployment.workflow_id if deployment else f"alerts-{service}",
        kind="alert",
        service=service,
        deployment_id=deployment.deployment_id if deployment else None,
        environment=environment,
        incident_id="alertmanager:" + ",".join(sorted(a.fingerprint for a in alerts)),
        series=",".join(names),
        window=AnomalyWindow(start=start, end=max(now, start)),
        score=score,
        reason=f"{len(alerts)} alert(s) firing for {service}: {', '.join(names)}",
        evidence={
            "alerts": [
                {
                    "fingerprint": a.fingerprint,
                    "labels": a.labels,
                    "summary": a.annotations.get("summary", ""),
                }
                for a in alerts
            ]
        },
    )
