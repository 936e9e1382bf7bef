"""The remediation handler: claim once, publish one recommendation, audit it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope, EventDetail
from agentic_common.events.planner import WorkflowFailed
from agentic_common.events.policy import PolicyViolated
from agentic_common.events.remediation import RemediationRecommended
from agentic_common.events.tasks import TaskFailed
from agentic_common.idempotency import InMemoryClaimStore
from agentic_remediation.adapters.audit_log import InMemoryAuditLog
from agentic_remediation.logic.agent import RemediationAgent

MakeFailed = Callable[..., TaskFailed]
NOW = datetime(2026, 1, 1, tzinfo=UTC)


class FailingPublisher:
    def publish(self, *details: EventDetail) -> None:
        raise RuntimeError("bus unavailable")


def _envelope(detail: EventDetail) -> Envelope:
    return Envelope(source="agentic.test", detail_type=detail.DETAIL_TYPE, detail=detail)


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
def audit() -> InMemoryAuditLog:
    return InMemoryAuditLog()


@pytest.fixture
def claims() -> InMemoryClaimStore:
    return InMemoryClaimStore()


@pytest.fixture
def agent(
    publisher: RecordingPublisher, claims: InMemoryClaimStore, audit: InMemoryAuditLog
) -> RemediationAgent:
    return RemediationAgent(publisher=publisher, claims=claims, audit=audit, clock=lambda: NOW)


def test_a_trigger_publishes_one_recommendation_and_audits_it(
    agent: RemediationAgent,
    publisher: RecordingPublisher,
    audit: InMemoryAuditLog,
    policy_violated: PolicyViolated,
) -> None:
    # When
    agent.handle(_envelope(policy_violated))
    # Then
    [published] = publisher.published
    assert isinstance(published, RemediationRecommended)
    assert published.playbook == "fix-policy-violations"
    [entry] = audit.entries()
    assert entry.recommendation_id == published.recommendation_id
    assert (entry.workflow_id, entry.playbook, entry.trigger) == (
        "wf-1",
        "fix-policy-violations",
        "policy.violated",
    )
    assert entry.recorded_at == NOW


def test_a_duplicate_trigger_is_a_no_op(
    agent: RemediationAgent,
    publisher: RecordingPublisher,
    audit: InMemoryAuditLog,
    policy_violated: PolicyViolated,
) -> None:
    # Given the same event delivered twice
    agent.handle(_envelope(policy_violated))
    # When
    agent.handle(_envelope(policy_violated))
    # Then one recommendation, one audit line
    assert len(publisher.published) == 1
    assert len(audit.entries()) == 1


def test_a_policy_task_failure_with_violations_publishes_nothing(
    agent: RemediationAgent, publisher: RecordingPublisher, audit: InMemoryAuditLog, make_failed: MakeFailed
) -> None:
    agent.handle(_envelope(make_failed("policy", evidence={"violations": [{"rule": "r"}]})))
    assert publisher.published == []
    assert audit.entries() == []


def test_a_policy_failure_and_its_violation_make_one_recommendation(
    agent: RemediationAgent,
    publisher: RecordingPublisher,
    policy_violated: PolicyViolated,
    make_failed: MakeFailed,
) -> None:
    # Given what the policy agent publishes when it finds violations: both events
    agent.handle(_envelope(policy_violated))
    agent.handle(_envelope(make_failed("policy", evidence={"violations": [{"rule": "r"}]})))
    # Then only the policy.violated one is answered
    assert [r.trigger for r in publisher.of_type("remediation.recommended")] == ["policy.violated"]  # type: ignore[attr-defined]


def test_an_event_that_is_not_a_trigger_is_ignored(
    agent: RemediationAgent, publisher: RecordingPublisher
) -> None:
    failed = WorkflowFailed(workflow_id="wf-1", reason="policy failed", duration_seconds=1.0)
    agent.handle(_envelope(failed))
    assert publisher.published == []


def test_a_failed_publish_releases_the_claim_so_a_redelivery_succeeds(
    claims: InMemoryClaimStore,
    audit: InMemoryAuditLog,
    publisher: RecordingPublisher,
    make_failed: MakeFailed,
) -> None:
    # Given a first attempt whose publish fails
    trigger = _envelope(make_failed("deployment"))
    broken = RemediationAgent(publisher=FailingPublisher(), claims=claims, audit=audit)
    with pytest.raises(RuntimeError, match="bus unavailable"):
        broken.handle(trigger)
    # When the message is redelivered to a working agent
    RemediationAgent(publisher=publisher, claims=claims, audit=audit).handle(trigger)
    # Then it is answered once
    assert [r.playbook for r in publisher.published] == ["inspect-deployment-logs"]  # type: ignore[attr-defined]
    assert len(audit.entries()) == 1
