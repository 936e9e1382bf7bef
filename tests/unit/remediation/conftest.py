"""Builders of the trigger events remediation answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from agentic_common.events import EventDetail
from agentic_common.events.observability import (
    AnomalyDetected,
    ProbeMeasurements,
    Slo,
    SloCheck,
    VerificationOutputs,
)
from agentic_common.events.policy import PolicyOutputs, PolicyViolated, Violation
from agentic_common.events.remediation import RemediationRecommended
from agentic_common.events.tasks import TaskFailed
from agentic_remediation.logic.catalogue import load_catalogue
from agentic_remediation.logic.decide import Decider
from agentic_remediation.logic.ranking import DeterministicRanker
from agentic_remediation.logic.recommend import recommendation
from agentic_remediation.logic.tiers import load_tier_policy

from tests.slo_checks import DEAD_SERVICE, NOISY_LATENCY

VIOLATIONS = (
    Violation(
        rule="dockerfile-non-root",
        severity="high",
        category="container",
        message="runs as root.",
        file="Dockerfile",
        line=12,
        remediation="add USER app before CMD",
    ),
    Violation(
        rule="k8s-resource-limits",
        severity="medium",
        category="kubernetes",
        message="no memory limit.",
        file="k8s/deployment.yaml",
        remediation="",
    ),
)


@pytest.fixture
def policy_violated() -> PolicyViolated:
    outputs = PolicyOutputs(
        artifact_sha256="a" * 64, files_scanned=30, rules_evaluated=12, violations=VIOLATIONS
    )
    return PolicyViolated(event_id="evt-policy-1", workflow_id="wf-1", task_id="policy", outputs=outputs)


@pytest.fixture
def anomaly_detected() -> AnomalyDetected:
    outputs = VerificationOutputs(
        url="http://127.0.0.1:8081",
        slo=Slo(p95_latency_ms=500, max_error_rate=0.01, requests=50),
        measurements=ProbeMeasurements(
            requests=50, errors=6, error_rate=0.12, p50_latency_ms=40.0, p95_latency_ms=812.3
        ),
        verified=False,
        breaches=(
            "p95 latency 812.3 ms exceeds the SLO of 500 ms",
            "error rate 12.0% exceeds the SLO of 1.0%",
        ),
    )
    return AnomalyDetected(event_id="evt-anomaly-1", workflow_id="wf-1", task_id="verify", outputs=outputs)


def health_check(*, actionable: bool = True) -> SloCheck:
    """The monitor's evidence for a deployment that stopped answering (or, not actionable, a noisy one)."""
    return DEAD_SERVICE if actionable else NOISY_LATENCY


def anomaly_on(
    environment: str,
    series: str = "health",
    incident: str = "inc-1",
    event_id: str = "evt-monitor-1",
    check: SloCheck | None = None,
) -> AnomalyDetected:
    """What the monitor publishes when a running deployment goes wrong (actionable health evidence)."""
    return AnomalyDetected(
        event_id=event_id,
        workflow_id="wf-1",
        kind="unhealthy",
        service="orders-api",
        deployment_id=f"dep-orders-{environment}",
        environment=environment,
        incident_id=incident,
        series=series,
        score=1.0,
        reason="GET /health failed 3 times in a row",
        check=check or health_check(),
    )


@pytest.fixture
def make_anomaly() -> Any:
    return anomaly_on


def task_failed(
    agent: Any, evidence: dict[str, Any] | None = None, event_id: str = "evt-failed-1"
) -> TaskFailed:
    return TaskFailed(
        event_id=event_id,
        workflow_id="wf-1",
        task_id=f"{agent}-task",
        agent=agent,
        attempt=2,
        error=f"{agent} broke: exit status 1",
        retryable=False,
        evidence=evidence or {},
    )


@pytest.fixture
def make_failed() -> Any:
    return task_failed


@pytest.fixture(scope="session")
def decider() -> Decider:
    """The shipped playbooks and tier policy, ranked without a model."""
    return Decider(load_catalogue(), load_tier_policy(), DeterministicRanker())


@pytest.fixture
def recommend(decider: Decider) -> Callable[[EventDetail], RemediationRecommended | None]:
    def answer(detail: EventDetail) -> RemediationRecommended | None:
        decision = decider.decide(detail)
        return None if decision is None else recommendation(detail, decision)

    return answer
