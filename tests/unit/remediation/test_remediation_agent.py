"""The remediation handler over in-memory ports: decide, act by tier, approvals, outcomes, bounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from agentic_common.approvals import ApprovalStatus, InMemoryApprovalStore
from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope, EventDetail
from agentic_common.events.approvals import ApprovalDecided, decided_event
from agentic_common.events.planner import WorkflowFailed
from agentic_common.events.policy import PolicyViolated
from agentic_common.events.remediation import (
    RemediationActionCompleted,
    RemediationActionRequested,
    RemediationEscalated,
)
from agentic_common.idempotency import InMemoryClaimStore
from agentic_remediation.adapters.memory.audit import InMemoryAuditStore
from agentic_remediation.logic.agent import RemediationAgent
from agentic_remediation.logic.catalogue import Catalogue
from agentic_remediation.logic.context import LoopBound, Remediation
from agentic_remediation.logic.decide import Decider

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
MakeAnomaly = Callable[..., Any]


class FailingPublisher:
    def publish(self, *details: EventDetail) -> None:
        raise RuntimeError("bus unavailable")


def _envelope(detail: EventDetail) -> Envelope:
    return Envelope(source="agentic.test", detail_type=detail.DETAIL_TYPE, detail=detail)


class World:
    """The agent with in-memory ports, and what it published."""

    def __init__(self, decider: Decider, bound: LoopBound | None = None) -> None:
        self.publisher = RecordingPublisher()
        self.audit = InMemoryAuditStore()
        self.approvals = InMemoryApprovalStore(clock=lambda: NOW)
        self.claims = InMemoryClaimStore()
        self.remediation = Remediation(
            self.publisher,
            self.audit,
            self.approvals,
            decider,
            bound or LoopBound(3, timedelta(hours=1)),
            clock=lambda: NOW,
        )
        self.agent = RemediationAgent(self.remediation, self.claims)

    def handle(self, detail: EventDetail) -> None:
        self.agent.handle(_envelope(detail))

    def of(self, detail_type: str) -> list[Any]:
        return self.publisher.of_type(detail_type)

    def kinds(self) -> list[str]:
        return [r.kind for r in self.audit.all()]


@pytest.fixture
def world(decider: Decider) -> World:
    return World(decider)


def _decide(world: World, approve: bool, user: str = "alice") -> ApprovalDecided:
    [pending] = world.approvals.pending("remediation")
    return decided_event(world.approvals.decide(pending.approval_id, approve, user, "looks right"))


def test_a_policy_violation_gets_one_advisory_recommendation_and_an_audit_record(
    world: World, policy_violated: PolicyViolated
) -> None:
    # When the violation is delivered twice
    world.handle(policy_violated)
    world.handle(policy_violated)
    # Then one advisory record for the workflow, nothing executed, one audit record
    [rec] = world.of("remediation.recommended")
    assert (rec.playbook, rec.tier) == ("fix-policy-violations", "advisory")
    assert world.of("remediation.action_requested") == []
    [record] = world.audit.all()
    assert (record.kind, record.service, record.action) == ("recommended", "workflow:wf-1", "advise")


def test_an_unhealthy_service_in_dev_is_restarted_at_once(world: World, make_anomaly: MakeAnomaly) -> None:
    # When the monitor reports the dev deployment unhealthy
    world.handle(make_anomaly("dev"))
    # Then a restart goes to the deployment worker, decided by the tier policy, and is audited
    [request] = world.of("remediation.action_requested")
    assert isinstance(request, RemediationActionRequested)
    assert (request.action, request.service, request.deployment_id, request.environment) == (
        "restart",
        "orders-api",
        "dep-orders-dev",
        "dev",
    )
    assert (request.tier, request.requested_by, request.approval_id) == ("automated", "tier-policy@v2", None)
    assert request.playbook == "restart-unhealthy-service@1.0.0"
    [record] = world.audit.all()
    assert (record.kind, record.decided_by, record.action_id) == (
        "action_requested",
        "tier-policy@v2",
        request.action_id,
    )
    [rec] = world.of("remediation.recommended")
    assert rec.tier == "automated"
    assert "restart orders-api (dep-orders-dev) in dev" in rec.summary


def test_repeated_anomalies_of_one_incident_act_once(world: World, make_anomaly: MakeAnomaly) -> None:
    world.handle(make_anomaly("dev", event_id="evt-a"))
    world.handle(make_anomaly("dev", event_id="evt-b"))
    assert len(world.of("remediation.action_requested")) == 1


def test_in_prod_an_approval_bound_to_the_action_is_requested_instead(
    world: World, make_anomaly: MakeAnomaly
) -> None:
    # When
    world.handle(make_anomaly("prod"))
    # Then nothing runs; a pending approval carries the digest of exactly this restart
    assert world.of("remediation.action_requested") == []
    [approval] = world.approvals.pending("remediation")
    [record] = world.audit.all()
    assert (record.kind, record.approval_id) == ("approval_requested", approval.approval_id)
    assert (approval.subject, approval.digest, approval.environment) == (
        record.action_id,
        record.digest,
        "prod",
    )
    [requested] = world.of("approval.requested")
    assert requested.approval_id == approval.approval_id
    assert requested.kind == "remediation"


def test_approving_runs_exactly_the_approved_action(world: World, make_anomaly: MakeAnomaly) -> None:
    # Given a pending prod restart
    world.handle(make_anomaly("prod"))
    # When a person approves it
    world.handle(_decide(world, approve=True))
    # Then the restart is requested, naming the approval and the person
    [request] = world.of("remediation.action_requested")
    assert (request.action, request.tier, request.requested_by) == ("restart", "assisted", "user:alice")
    assert request.approval_id == world.audit.all()[0].approval_id
    assert world.kinds() == ["approval_requested", "action_requested"]


def test_rejecting_runs_nothing_and_is_audited(world: World, make_anomaly: MakeAnomaly) -> None:
    world.handle(make_anomaly("prod"))
    world.handle(_decide(world, approve=False, user="bob"))
    assert world.of("remediation.action_requested") == []
    assert world.kinds() == ["approval_requested", "rejected"]
    assert world.audit.all()[1].decided_by == "user:bob"


def test_an_approval_whose_digest_differs_is_void_and_escalated(
    world: World, make_anomaly: MakeAnomaly
) -> None:
    # Given an approval decided on a different digest than the action's
    world.handle(make_anomaly("prod"))
    decided = _decide(world, approve=True).model_copy(update={"digest": "f" * 64})
    # When
    world.handle(decided)
    # Then nothing runs, the approval is void and a person is told
    assert world.of("remediation.action_requested") == []
    assert world.approvals.get(decided.approval_id).status is ApprovalStatus.VOID  # type: ignore[union-attr]
    assert world.kinds() == ["approval_requested", "voided", "escalated"]
    [escalation] = world.of("remediation.escalated")
    assert "digest mismatch" in escalation.reason


def test_an_approval_is_void_when_the_playbook_changed_since(
    decider: Decider, make_anomaly: MakeAnomaly
) -> None:
    # Given a pending prod restart, then a new version of the restart playbook is shipped
    world = World(decider)
    world.handle(make_anomaly("prod"))
    bumped = tuple(
        p.model_copy(update={"version": "1.1.0"}) if p.id == "restart-unhealthy-service" else p
        for p in decider.catalogue.playbooks
    )
    world.remediation = Remediation(
        world.publisher,
        world.audit,
        world.approvals,
        Decider(Catalogue(bumped), decider.tiers, decider.ranker),
        clock=lambda: NOW,
    )
    world.agent = RemediationAgent(world.remediation, world.claims)
    # When it is approved
    world.handle(_decide(world, approve=True))
    # Then what would be done now differs: void
    assert world.of("remediation.action_requested") == []
    assert "changed since the request (now restart-unhealthy-service@1.1.0)" in world.audit.all()[1].reason


def _completed(request: RemediationActionRequested, outcome: str, detail: str) -> RemediationActionCompleted:
    return RemediationActionCompleted(
        workflow_id=request.workflow_id,
        action_id=request.action_id,
        service=request.service,
        deployment_id=request.deployment_id,
        environment=request.environment,
        action=request.action,
        outcome=outcome,
        detail=detail,
        before={"pid": 10, "healthy": False},  # type: ignore[arg-type]
        after={"pid": 11, "healthy": outcome == "succeeded"},
    )


def test_a_successful_action_is_audited_with_before_and_after(
    world: World, make_anomaly: MakeAnomaly
) -> None:
    world.handle(make_anomaly("dev"))
    [request] = world.of("remediation.action_requested")
    world.handle(_completed(request, "succeeded", "restarted; /health answers 200"))
    done = world.audit.all()[-1]
    assert (done.kind, done.before, done.after) == (
        "completed",
        {"pid": 10, "healthy": False},
        {"pid": 11, "healthy": True},
    )
    assert (done.playbook, done.decided_by) == ("restart-unhealthy-service@1.0.0", "deployment-worker")
    assert world.of("remediation.escalated") == []


def test_a_failed_action_escalates_to_a_person(world: World, make_anomaly: MakeAnomaly) -> None:
    world.handle(make_anomaly("dev"))
    [request] = world.of("remediation.action_requested")
    world.handle(_completed(request, "failed", "process exited at start: token=glpat-abcdefghij0123456789"))
    assert world.kinds() == ["action_requested", "failed", "escalated"]
    [escalation] = world.of("remediation.escalated")
    assert isinstance(escalation, RemediationEscalated)
    assert (escalation.service, escalation.action_id) == ("orders-api", request.action_id)
    assert "restart failed" in escalation.reason
    assert "glpat-" not in escalation.summary


def test_past_the_loop_bound_a_person_is_asked_instead_of_acting(
    decider: Decider, make_anomaly: MakeAnomaly
) -> None:
    # Given at most 2 actions per service per hour
    world = World(decider, LoopBound(2, timedelta(hours=1)))
    # When three incidents arrive within the hour
    for n in range(3):
        world.handle(make_anomaly("dev", incident=f"inc-{n}", event_id=f"evt-{n}"))
    # Then two restarts were requested and the third was suppressed and escalated
    assert len(world.of("remediation.action_requested")) == 2
    assert world.kinds()[-2:] == ["suppressed", "escalated"]
    assert (
        "loop bound reached (at most 2 action(s) per service per 3600 s)"
        in world.of("remediation.escalated")[0].reason
    )


def test_actions_older_than_the_window_do_not_count(decider: Decider, make_anomaly: MakeAnomaly) -> None:
    world = World(decider, LoopBound(1, timedelta(minutes=10)))
    old = make_anomaly("dev", incident="inc-old", event_id="evt-old").model_copy(
        update={"occurred_at": NOW - timedelta(minutes=30)}
    )
    world.handle(old)
    world.handle(
        make_anomaly("dev", incident="inc-new", event_id="evt-new").model_copy(update={"occurred_at": NOW})
    )
    assert len(world.of("remediation.action_requested")) == 2


def test_a_policy_task_failure_with_violations_publishes_nothing(world: World, make_failed: Any) -> None:
    world.handle(make_failed("policy", evidence={"violations": [{"rule": "r"}]}))
    assert world.publisher.published == []
    assert world.audit.all() == []


def test_an_event_that_is_not_handled_is_ignored(world: World) -> None:
    world.handle(WorkflowFailed(workflow_id="wf-1", reason="policy failed", duration_seconds=1.0))
    assert world.publisher.published == []


def test_a_failed_publish_releases_the_claim_so_a_redelivery_succeeds(
    world: World, make_anomaly: MakeAnomaly
) -> None:
    # Given a first attempt whose publish fails
    trigger = make_anomaly("dev")
    broken = Remediation(
        FailingPublisher(), world.audit, world.approvals, world.remediation.decider, clock=lambda: NOW
    )
    with pytest.raises(RuntimeError, match="bus unavailable"):
        RemediationAgent(broken, world.claims).handle(_envelope(trigger))
    # When the message is redelivered to a working agent
    world.handle(trigger)
    # Then it is answered once
    assert [r.action for r in world.of("remediation.action_requested")] == ["restart"]
    assert world.kinds() == ["action_requested"]


def test_an_outcome_of_an_action_not_requested_here_is_audited_only(world: World) -> None:
    # Given an outcome for an action this agent never requested
    stray = RemediationActionCompleted(
        workflow_id="wf-9",
        action_id="act-stray",
        service="other-api",
        deployment_id="dep-9",
        environment="dev",
        action="resync",
        outcome="succeeded",
        detail="resynced",
    )
    # When
    world.handle(stray)
    # Then it is recorded, with the executor as the one who decided, and nothing else happens
    [record] = world.audit.all()
    assert (record.kind, record.service, record.action_id, record.decided_by) == (
        "completed",
        "other-api",
        "act-stray",
        "deployment-worker",
    )
    assert world.publisher.published == []


def test_a_decision_on_an_approval_this_agent_did_not_request_changes_nothing(
    world: World, make_anomaly: MakeAnomaly
) -> None:
    world.handle(make_anomaly("prod"))
    decided = _decide(world, approve=True).model_copy(update={"subject": "act-unknown"})
    world.handle(decided)
    assert world.of("remediation.action_requested") == []
    assert world.kinds() == ["approval_requested"]
