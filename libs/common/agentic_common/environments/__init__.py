"""Environment rules: approval, rollout gates and policy enforcement, declared once per environment."""

from agentic_common.environments.rules import (
    ApprovalRule,
    EnvironmentRules,
    GateRule,
    PolicyRule,
    RulesTable,
    UnknownEnvironmentError,
    load_rules,
    stricter_threshold,
)
from agentic_common.environments.tasks import deploys, task_approval

__all__ = [
    "ApprovalRule",
    "EnvironmentRules",
    "GateRule",
    "PolicyRule",
    "RulesTable",
    "UnknownEnvironmentError",
    "deploys",
    "load_rules",
    "stricter_threshold",
    "task_approval",
]
