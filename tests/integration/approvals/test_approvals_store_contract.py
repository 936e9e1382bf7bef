"""One suite, two adapters: the in-memory approval store and DynamoDB (moto over the wire) agree."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.approvals import (
    Approval,
    ApprovalNotFoundError,
    ApprovalNotPendingError,
    ApprovalStatus,
    ApprovalStore,
    InMemoryApprovalStore,
    SelfApprovalError,
    digest_of,
)
from agentic_common.approvals.dynamodb import DynamoDBApprovalStore


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "dynamodb"])
def store(request: pytest.FixtureRequest, clock: Clock) -> ApprovalStore:
    if request.param == "memory":
        return InMemoryApprovalStore(clock=clock)
    request.getfixturevalue("queue_urls")  # provisions the tables
    settings = request.getfixturevalue("aws_settings")
    clients = request.getfixturevalue("aws_clients")
    return DynamoDBApprovalStore(clients.client("dynamodb"), settings.name("approvals"), clock=clock)


def _approval(clock: Clock, kind: str = "deployment", ttl: timedelta = timedelta(hours=1)) -> Approval:
    return Approval(
        approval_id=f"apr-{uuid.uuid4().hex[:12]}",
        kind=kind,
        subject="dep-1",
        workflow_id="wf-1",  # type: ignore[arg-type]
        service="orders",
        environment="prod",
        digest=digest_of(artifact="abc", plan={"strategy": "canary"}),
        summary="deploy orders abc to prod (canary)",
        requested_by="dev@example.com",
        requested_at=clock.now,
        expires_at=clock.now + ttl,
    )


def test_a_requested_approval_is_pending_and_audited(store: ApprovalStore, clock: Clock) -> None:
    # Given a new approval / When it is requested
    stored = store.request(_approval(clock))
    # Then it reads back pending, with a "requested" audit line
    fetched = store.get(stored.approval_id)
    assert fetched is not None
    assert fetched.status is ApprovalStatus.PENDING
    assert [entry.action for entry in fetched.audit] == ["requested"]
    assert stored.approval_id in [a.approval_id for a in store.pending()]


def test_requesting_the_same_approval_twice_keeps_the_first(store: ApprovalStore, clock: Clock) -> None:
    first = store.request(_approval(clock))
    again = store.request(first.model_copy(update={"summary": "something else"}))
    assert again.summary == first.summary


def test_an_approval_decision_records_who_why_and_when(store: ApprovalStore, clock: Clock) -> None:
    approval = store.request(_approval(clock))
    decided = store.decide(approval.approval_id, True, "lead@example.com", "looks good")
    fetched = store.get(approval.approval_id)
    assert fetched == decided
    assert fetched.status is ApprovalStatus.APPROVED
    assert fetched.decided_by == "lead@example.com"
    assert fetched.comment == "looks good"
    assert fetched.decided_at == clock.now
    assert [e.action for e in fetched.audit] == ["requested", "approved"]
    assert approval.approval_id not in [a.approval_id for a in store.pending()]


def test_a_rejected_approval_cannot_be_approved_afterwards(store: ApprovalStore, clock: Clock) -> None:
    approval = store.request(_approval(clock))
    store.decide(approval.approval_id, False, "lead@example.com", "not today")
    with pytest.raises(ApprovalNotPendingError, match="rejected"):
        store.decide(approval.approval_id, True, "other@example.com", "yes")
    fetched = store.get(approval.approval_id)
    assert fetched is not None
    assert fetched.status is ApprovalStatus.REJECTED


def test_only_one_of_two_concurrent_decisions_wins(store: ApprovalStore, clock: Clock) -> None:
    approval = store.request(_approval(clock))
    outcomes: list[str] = []

    def decide(approve: bool) -> None:
        try:
            store.decide(approval.approval_id, approve, f"user-{approve}", "race")
            outcomes.append("won")
        except ApprovalNotPendingError:
            outcomes.append("lost")

    threads = [threading.Thread(target=decide, args=(flag,)) for flag in (True, False, True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost", "lost", "lost", "won"]


def test_an_expired_approval_cannot_be_decided(store: ApprovalStore, clock: Clock) -> None:
    approval = store.request(_approval(clock, ttl=timedelta(minutes=5)))
    clock.now += timedelta(minutes=6)
    with pytest.raises(ApprovalNotPendingError, match="expired"):
        store.decide(approval.approval_id, True, "lead@example.com", "late")
    fetched = store.get(approval.approval_id)
    assert fetched is not None
    assert fetched.status is ApprovalStatus.EXPIRED
    assert approval.approval_id not in [a.approval_id for a in store.pending()]


def test_an_approved_approval_is_voided_when_its_subject_changed(store: ApprovalStore, clock: Clock) -> None:
    approval = store.request(_approval(clock))
    store.decide(approval.approval_id, True, "lead@example.com", "ok")
    voided = store.void(approval.approval_id, "artifact digest changed")
    assert voided.status is ApprovalStatus.VOID
    assert voided.comment == "artifact digest changed"
    assert [e.action for e in voided.audit] == ["requested", "approved", "voided"]
    with pytest.raises(ApprovalNotPendingError):
        store.void(approval.approval_id, "again")


def test_pending_filters_by_kind_oldest_first(store: ApprovalStore, clock: Clock) -> None:
    older = store.request(_approval(clock, kind="remediation"))
    clock.now += timedelta(seconds=1)
    newer = store.request(_approval(clock, kind="remediation"))
    deployment = store.request(_approval(clock, kind="deployment"))
    remediation_ids = [a.approval_id for a in store.pending("remediation")]
    assert remediation_ids.index(older.approval_id) < remediation_ids.index(newer.approval_id)
    assert deployment.approval_id not in remediation_ids


@pytest.mark.parametrize(
    "operation", [lambda s: s.decide("apr-missing", True, "u", "c"), lambda s: s.void("apr-missing", "r")]
)
def test_deciding_an_unknown_approval_names_it(
    store: ApprovalStore, operation: Callable[[ApprovalStore], object]
) -> None:
    assert store.get("apr-missing") is None
    with pytest.raises(ApprovalNotFoundError, match="apr-missing"):
        operation(store)


def test_concurrent_approvals_by_distinct_people_are_never_lost(store: ApprovalStore, clock: Clock) -> None:
    # Given an approval that needs three distinct approvers
    approval = store.request(_approval(clock).model_copy(update={"approvers_required": 3}))
    won: list[str] = []

    def approve(user: str) -> None:
        try:
            store.decide(approval.approval_id, True, user, "ok")
            won.append(user)
        except ApprovalNotPendingError:
            pass  # lost the conditional write: the person is told to try again

    # When four people approve at the same moment
    threads = [threading.Thread(target=approve, args=(f"approver-{i}@example.com",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then every approval that was accepted is recorded: none overwrote another
    fetched = store.get(approval.approval_id)
    assert fetched is not None
    assert sorted(fetched.approved_by) == sorted(won)


def test_two_distinct_approvers_approve_a_two_approver_rule(store: ApprovalStore, clock: Clock) -> None:
    approval = store.request(_approval(clock).model_copy(update={"approvers_required": 2}))
    first = store.decide(approval.approval_id, True, "lead@example.com", "ok")
    assert first.status is ApprovalStatus.PENDING
    second = store.decide(approval.approval_id, True, "sre@example.com", "ok")
    assert store.get(approval.approval_id) == second
    assert (second.status, second.approved_by) == (
        ApprovalStatus.APPROVED,
        ("lead@example.com", "sre@example.com"),
    )


def test_the_prod_requester_cannot_approve_in_either_store(store: ApprovalStore, clock: Clock) -> None:
    approval = store.request(_approval(clock))
    with pytest.raises(SelfApprovalError, match="four eyes"):
        store.decide(approval.approval_id, True, "dev@example.com", "self")
    fetched = store.get(approval.approval_id)
    assert fetched is not None
    assert fetched.status is ApprovalStatus.PENDING
