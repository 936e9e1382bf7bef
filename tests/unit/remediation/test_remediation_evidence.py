"""Remediation acts only on evidence that matters: an anomaly on a service that meets its SLO, or one
that carries no SLO evidence, is recorded as advisory and nothing runs or waits for a person (people
are told only when the objective is breached or there is no evidence); actionable evidence runs the
action and is announced with its reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.approvals import InMemoryApprovalStore
from agentic_common.bus import RecordingPublisher
from agentic_common.events import EventDetail
from agentic_common.events.observability import AnomalyDetected
from agentic_remediation.adapters.memory.audit import InMemoryAuditStore
from agentic_remediation.logic.context import LoopBound, Remediation
from agentic_remediation.logic.decide import Decider
from agentic_remediation.logic.on_trigger import on_trigger

from tests.unit.remediation.conftest import anomaly_on, health_check

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


class Flow:
    def __init__(self, decider: Decider) -> None:
        self.publisher = RecordingPublisher()
        self.audit = InMemoryAuditStore()
        self.approvals = InMemoryApprovalStore(clock=lambda: NOW)
        self.remediation = Remediation(
            self.publisher,
            self.audit,
            self.approvals,
            decider,
            LoopBound(3, timedelta(hours=1)),
            clock=lambda: NOW,
        )

    def trigger(self, detail: EventDetail) -> None:
        assert on_trigger(self.remediation, detail)

    def published(self, detail_type: str) -> list[EventDetail]:
        return list(self.publisher.of_type(detail_type))


@pytest.fixture
def flow(decider: Decider) -> Flow:
    return Flow(decider)


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_an_anomaly_on_a_service_that_meets_its_slo_runs_nothing_and_asks_nobody(
    flow: Flow, environment: str
) -> None:
    # Given the noisy-but-healthy anomaly of the issue: p95 22.75 ms against a baseline of 4.75, SLO 500 ms
    noisy = anomaly_on(environment, series="p95_latency_ms", check=health_check(actionable=False))
    # When remediation answers it
    flow.trigger(noisy)
    # Then no action is requested and no approval is pending
    assert flow.published("remediation.action_requested") == []
    assert flow.approvals.pending("remediation") == []


def test_an_anomaly_that_meets_its_slo_is_recorded_as_advisory_without_a_notification(flow: Flow) -> None:
    # Given
    noisy = anomaly_on("dev", series="p95_latency_ms", check=health_check(actionable=False))
    # When
    flow.trigger(noisy)
    # Then the workflow gets an advisory record saying why nothing ran, and nobody is paged for it
    [rec] = flow.published("remediation.recommended")
    assert (rec.tier, rec.notify) == ("advisory", False)
    assert "meets the objective of 500" in rec.summary
    assert rec.evidence["check"]["actionable"] is False
    assert [r.kind for r in flow.audit.all()] == ["recommended"]


def test_a_breach_with_too_few_samples_is_advisory_and_notified(flow: Flow) -> None:
    # Given an objective breached on fewer samples than a machine may act on
    thin = health_check().model_copy(
        update={"samples": 2, "actionable": False, "reasons": ("2 samples, fewer than 4",)}
    )
    # When
    flow.trigger(anomaly_on("dev", check=thin))
    # Then nothing runs, and people are told (the objective is breached)
    assert flow.published("remediation.action_requested") == []
    [rec] = flow.published("remediation.recommended")
    assert (rec.tier, rec.notify) == ("advisory", True)


def test_an_anomaly_without_slo_evidence_is_advisory_even_in_dev(flow: Flow) -> None:
    # Given an anomaly that carries no SLO check (an Alertmanager alert, an older producer)
    bare = anomaly_on("dev").model_copy(update={"check": None})
    # When
    flow.trigger(bare)
    # Then
    assert flow.published("remediation.action_requested") == []
    [rec] = flow.published("remediation.recommended")
    assert (rec.tier, rec.notify) == ("advisory", True)
    assert "carries no SLO evidence" in rec.summary


def test_an_automated_action_is_announced_with_its_reason_and_evidence(flow: Flow) -> None:
    # When an actionable anomaly arrives in dev
    flow.trigger(anomaly_on("dev"))
    # Then the request (what people are told before it runs) says why, citing the evidence
    [request] = flow.published("remediation.action_requested")
    assert request.tier == "automated"
    assert "dev with instance blast radius → automated" in request.reason
    assert "health 1 breaches the objective of 0.05 (environment dev) on 4 samples" in request.reason
    # and the record is not notified a second time as advisory
    [rec] = flow.published("remediation.recommended")
    assert (rec.tier, rec.notify) == ("automated", False)


def test_a_failed_verification_is_not_notified_again_by_remediation(
    flow: Flow, anomaly_detected: AnomalyDetected
) -> None:
    # Given a post-deploy verification breach (its workflow's failure notification tells people)
    # When
    flow.trigger(anomaly_detected)
    # Then the recommendation is recorded but does not ask for a notification of its own
    [rec] = flow.published("remediation.recommended")
    assert (rec.tier, rec.notify) == ("advisory", False)
