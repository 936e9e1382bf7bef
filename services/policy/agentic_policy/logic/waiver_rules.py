"""Who may create and approve a waiver, and which waivers need a second person (four eyes).

* A rule's owning group comes from the bundle (``data.json`` ``owners``: per rule, else per category).
  Members of that group, and policy approvers (``POLICY_APPROVER_GROUP`` members or subjects listed in
  ``POLICY_APPROVERS``), may create a waiver of the rule.
* A waiver that reaches an environment whose row in the environment table needs an approval the
  requester may not give (prod), for a rule whose severity blocks there, needs a second person: it
  stays ``pending`` until another owner or approver approves it. Unknown tool checks count as critical.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from agentic_checks.severity import checkov_severity, hadolint_severity
from agentic_common.environments import RulesTable, load_rules
from agentic_common.identity import Identity

from agentic_policy.logic.bundle import RegoBundle
from agentic_policy.logic.enforcement import Enforcement
from agentic_policy.logic.evaluate import TOOL_CATEGORY

TOOL_PREFIXES = {
    "CKV": "checkov",
    "DL": "hadolint",
    "SC": "hadolint",
    "secret:": "detect-secrets",
    "k8s-schema": "kubernetes-validate",
    "gitlab-ci-schema": "gitlab-ci-schema",
}


def rule_category(rule: str, bundle: RegoBundle) -> str:
    meta = bundle.rule_index.get(rule)
    if meta is not None:
        return meta.category
    tool = next((t for prefix, t in TOOL_PREFIXES.items() if rule.startswith(prefix)), "policy")
    return TOOL_CATEGORY[tool]


def rule_severity(rule: str, bundle: RegoBundle) -> str:
    """The rule's severity; for tool checks the worst it can be reported with."""
    meta = bundle.rule_index.get(rule)
    if meta is not None:
        return meta.severity
    if rule.startswith("CKV"):
        return str(checkov_severity(rule))
    if rule.startswith(("DL", "SC")):
        return str(hadolint_severity(rule, "error"))
    return "critical"


def owning_group(rule: str, bundle: RegoBundle) -> str:
    owners = bundle.data["agentic"]["owners"]
    return str(owners["rules"].get(rule) or owners["categories"][rule_category(rule, bundle)])


@dataclass(frozen=True)
class WaiverRules:
    bundle: RegoBundle
    enforcement: Enforcement
    approver_groups: tuple[str, ...] = ("policy-approvers",)
    approver_subjects: tuple[str, ...] = ()
    table: RulesTable | None = None

    def is_approver(self, identity: Identity) -> bool:
        return identity.member_of(self.approver_groups) or identity.is_one_of(self.approver_subjects)

    def may_waive(self, identity: Identity, rule: str) -> str | None:
        """None when ``identity`` may create (or approve) a waiver of ``rule``, else why not."""
        group = owning_group(rule, self.bundle)
        if self.is_approver(identity) or identity.member_of([group]):
            return None
        approvers = " or ".join(f"'{g}'" for g in self.approver_groups) or "a policy approver group"
        return (
            f"{identity.subject} may not waive {rule}: membership of its owning group '{group}' or of "
            f"{approvers} (token claim groups or ent), or a listing in POLICY_APPROVERS, is required"
        )

    def environments(self, scope: str | None) -> Collection[str]:
        known = (self.table or load_rules()).environments
        return known if scope is None else [scope]

    def needs_four_eyes(self, rule: str, scope: str | None) -> bool:
        rows = (self.table or load_rules()).environments
        severity = rule_severity(rule, self.bundle)
        return any(
            rows[env].approval.required
            and not rows[env].approval.requester_may_approve
            and severity in self.enforcement.blocking_severities(env)
            for env in self.environments(scope)
        )
