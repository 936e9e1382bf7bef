"""The repository rules, one module per category; ``ALL_RULES`` is what ``evaluate`` runs."""

from agentic_policy.logic.rules import deps, docker, docs, security
from agentic_policy.logic.rules.base import Finding, Rule, rule_id

ALL_RULES: tuple[Rule, ...] = (*security.RULES, *docker.RULES, *deps.RULES, *docs.RULES)

__all__ = ["ALL_RULES", "Finding", "Rule", "rule_id"]
