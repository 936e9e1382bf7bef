"""Environment rules: approval, rollout gates and policy enforcement, declared once per environment."""

from agentic_common.environments.rules import (
    ApprovalRule,
    EnvironmentRules,
    GateRule,
    PolicyRule,
    RulesTable,
    UnknownEnvironmentError,
    load_rules,
)

__all__ = [
    "ApprovalRule",
    "EnvironmentRules",
    "GateRule",
    "PolicyRule",
    "RulesTable",
    "UnknownEnvironmentError",
    "load_rules",
]
