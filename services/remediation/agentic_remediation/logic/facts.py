"""What a trigger event says, as flat facts the playbook conditions match on, and its target.

``anomaly.detected`` from the monitor names the running deployment (service, deployment_id,
environment) and the series that went wrong; a post-deploy verification anomaly may name none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentic_common.events import EventDetail
from agentic_common.events.policy import PolicyViolated
from agentic_common.events.tasks import TaskFailed

Facts = dict[str, Any]

SIGNAL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("drift", ("drift", "sync_status")),
    ("latency", ("latency", "p95", "p99", "p50", "duration")),
    ("errors", ("error", "5xx", "availability", "fail")),
    ("health", ("health", "up", "ready", "liveness")),
)


@dataclass(frozen=True)
class Target:
    """The running deployment a remediation acts on."""

    service: str
    deployment_id: str
    environment: str

    def as_dict(self) -> dict[str, str]:
        return {"service": self.service, "deployment_id": self.deployment_id, "environment": self.environment}


def signal_of(series: str | None) -> str:
    """Classify a series name (``error_rate``, ``http_p95_ms``, ``health``...) into a signal."""
    name = (series or "").lower()
    for signal, words in SIGNAL_WORDS:
        if any(word in name for word in words):
            return signal
    return "other"


def trigger_key(detail: EventDetail) -> str:
    """What identifies the incident: the monitor's ``incident_id`` (stable while it lasts), else the event id.

    Every id remediation derives (actions, approvals, recommendations) comes from it, so the repeated
    anomaly events of one incident lead to one set of actions.
    """
    incident = getattr(detail, "incident_id", None)
    return incident if isinstance(incident, str) and incident else detail.event_id


def _text(detail: EventDetail, name: str) -> str | None:
    value = getattr(detail, name, None)
    return value if isinstance(value, str) and value else None


def target_of(detail: EventDetail) -> Target | None:
    service, deployment_id = _text(detail, "service"), _text(detail, "deployment_id")
    environment = _text(detail, "environment")
    if service and deployment_id and environment:
        return Target(service, deployment_id, environment)
    return None


def _series_name(detail: EventDetail) -> str | None:
    series = getattr(detail, "series", None)
    if isinstance(series, str):
        return series
    name = getattr(series, "name", None) or (series.get("name") if isinstance(series, dict) else None)
    return name if isinstance(name, str) else None


def _anomaly_facts(detail: EventDetail) -> Facts:
    target = target_of(detail)
    series = _series_name(detail)
    outputs = getattr(detail, "outputs", None)
    breaches = list(getattr(outputs, "breaches", ()) or ())
    signal = signal_of(series) if series else signal_of(" ".join(breaches)) if breaches else "health"
    kind = getattr(detail, "kind", None)
    if kind == "unhealthy" and not series:
        signal = "health"
    facts: Facts = {"has_target": target is not None, "signal": signal, "breaches": breaches}
    if isinstance(kind, str):
        facts["kind"] = kind
    if series:
        facts["series"] = series
    score = getattr(detail, "score", None)
    if isinstance(score, int | float):
        facts["score"] = float(score)
    if target is not None:
        facts |= target.as_dict()
    return facts


def facts_of(detail: EventDetail) -> Facts:
    """Flat facts of a trigger; every fact set carries ``event``."""
    facts: Facts
    if isinstance(detail, PolicyViolated):
        violations = detail.outputs.violations
        facts = {
            "categories": sorted({v.category for v in violations}),
            "rules": sorted({v.rule for v in violations}),
            "severities": sorted({v.severity for v in violations}),
        }
    elif isinstance(detail, TaskFailed):
        facts = {
            "agent": detail.agent,
            "evidence_keys": sorted(detail.evidence),
            "retryable": detail.retryable,
        }
    elif detail.DETAIL_TYPE == "anomaly.detected":
        facts = _anomaly_facts(detail)
    else:
        facts = {}
    return {"event": detail.DETAIL_TYPE, **facts}
