"""The rule an approval is decided under: what it recorded when requested, never weaker than the table.

An approval records its rule (how many distinct approvers, whether the requester may approve) when it
is requested, from the environment's row of ``agentic_common.environments`` made stricter by the
template. When it is decided, the table's current row for its environment is applied on top, so an
approval stored by any path (a deployment, a remediation action) can never be weaker than the table.
"""

from __future__ import annotations

from agentic_common.approvals.models import Approval
from agentic_common.environments import ApprovalRule, RulesTable, load_rules


def recorded_rule(approval: Approval) -> ApprovalRule:
    return ApprovalRule(
        required=True,
        approvers=approval.approvers_required,
        requester_may_approve=approval.requester_may_approve,
    )


def effective_rule(approval: Approval, table: RulesTable | None = None) -> ApprovalRule:
    rule = recorded_rule(approval)
    table = table or load_rules()
    if approval.environment in table.environments:
        rule = rule.stricter(table.for_environment(approval.environment).approval)
    return rule


def with_rule(approval: Approval, rule: ApprovalRule) -> Approval:
    """The approval carrying ``rule`` (at least one approver: a requested approval needs a person)."""
    return approval.model_copy(
        update={
            "approvers_required": max(rule.approvers, 1),
            "requester_may_approve": rule.requester_may_approve,
        }
    )


def rule_text(approval: Approval) -> str:
    """``1 approver, not the requester (four eyes)`` for the approval's effective rule."""
    return effective_rule(approval).describe()
