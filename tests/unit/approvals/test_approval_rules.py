"""Deciding an approval under its rule: four eyes, distinct approvers, never weaker than the table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.approvals import (
    Approval,
    ApprovalStatus,
    DuplicateApproverError,
    InMemoryApprovalStore,
    SelfApprovalError,
    digest_of,
    effective_rule,
)
from agentic_common.environments import ApprovalRule

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DIGEST = digest_of(artifact={"version": "abc"}, plan={"environment": "prod"})


def approval(environment: str = "prod", **fields: object) -> Approval:
    return Approval.model_validate(
        {
            "approval_id": "apr-1",
            "kind": "deployment",
            "subject": "dep-1",
            "workflow_id": "wf-1",
            "service": "orders-api",
            "environment": environment,
            "digest": DIGEST,
            "summary": "deploy orders-api",
            "requested_by": "dev@example.com",
            "requested_at": NOW,
            "expires_at": NOW + timedelta(hours=1),
        }
        | fields
    )


def store_with(pending: Approval) -> InMemoryApprovalStore:
    store = InMemoryApprovalStore(clock=lambda: NOW)
    store.request(pending)
    return store


def test_in_prod_the_requester_may_not_approve_and_the_error_names_the_rule() -> None:
    store = store_with(approval(requester_may_approve=False))
    with pytest.raises(SelfApprovalError, match=r"four eyes.*requester_may_approve = false"):
        store.decide("apr-1", True, "dev@example.com", "mine")


def test_the_requester_is_recognised_by_an_alias_such_as_the_tokens_email() -> None:
    store = store_with(approval(requester_may_approve=False))
    with pytest.raises(SelfApprovalError):
        store.decide("apr-1", True, "u-42", "mine", aliases=("u-42", "DEV@example.com"))


def test_the_service_principal_that_asked_may_not_approve_either() -> None:
    store = store_with(approval(via="backstage-backend", requester_may_approve=False))
    with pytest.raises(SelfApprovalError, match="via backstage-backend"):
        store.decide("apr-1", True, "backstage-backend", "ok")


def test_the_table_applies_even_to_an_approval_that_recorded_a_weaker_rule() -> None:
    # Given a prod approval stored by a path that recorded "requester may approve"
    weak = approval(requester_may_approve=True)
    # Then its effective rule is the prod row's four eyes, and the requester is refused
    assert effective_rule(weak).requester_may_approve is False
    with pytest.raises(SelfApprovalError):
        store_with(weak).decide("apr-1", True, "dev@example.com", "mine")


def test_the_requester_may_reject_their_own_request() -> None:
    decided = store_with(approval()).decide("apr-1", False, "dev@example.com", "withdrawn")
    assert decided.status is ApprovalStatus.REJECTED


def test_two_approvers_are_needed_when_the_rule_says_two() -> None:
    # Given an approval that needs two distinct approvers
    store = store_with(approval(approvers_required=2))
    # When the first approves / Then it stays pending, with the approver recorded
    first = store.decide("apr-1", True, "lead@example.com", "ok")
    assert (first.status, first.approved_by) == (ApprovalStatus.PENDING, ("lead@example.com",))
    # When a second, different person approves / Then it is approved by both
    second = store.decide("apr-1", True, "sre@example.com", "ok too")
    assert second.status is ApprovalStatus.APPROVED
    assert second.approved_by == ("lead@example.com", "sre@example.com")


def test_the_same_approver_twice_does_not_count_twice() -> None:
    store = store_with(approval(approvers_required=2))
    store.decide("apr-1", True, "lead@example.com", "ok")
    with pytest.raises(DuplicateApproverError, match="1 more approval"):
        store.decide("apr-1", True, "LEAD@example.com", "again")


def test_every_audit_entry_names_who_when_and_the_digest() -> None:
    store = store_with(approval(approvers_required=2))
    store.decide("apr-1", True, "lead@example.com", "ok")
    decided = store.decide("apr-1", True, "sre@example.com", "ok")
    assert [(e.action, e.actor, e.at, e.digest) for e in decided.audit] == [
        ("requested", "dev@example.com", NOW, DIGEST),
        ("approved", "lead@example.com", NOW, DIGEST),
        ("approved", "sre@example.com", NOW, DIGEST),
    ]


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (
            ApprovalRule(required=True, approvers=1, requester_may_approve=False),
            "1 approver, not the requester",
        ),
        (ApprovalRule(required=True, approvers=2, requester_may_approve=True), "2 distinct approvers"),
        (ApprovalRule(required=False, approvers=0, requester_may_approve=True), "no approval needed"),
    ],
)
def test_a_rule_reads_as_a_sentence(rule: ApprovalRule, text: str) -> None:
    assert rule.describe().startswith(text)
