"""Run every rule over a repository and collect the violations, most severe first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agentic_common.events.policy import Violation

from agentic_policy.logic.enforcement import severity_rank
from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules import ALL_RULES, Rule


@dataclass(frozen=True)
class Evaluation:
    files_scanned: int
    rules_evaluated: int
    violations: tuple[Violation, ...]


def evaluate(repo: Repo, rules: Sequence[Rule] = ALL_RULES) -> Evaluation:
    violations = [violation for rule in rules for violation in rule.evaluate(repo)]
    return Evaluation(
        files_scanned=len(repo.files),
        rules_evaluated=len(rules),
        violations=tuple(sorted(violations, key=_order)),
    )


def _order(violation: Violation) -> tuple[int, str, str, int]:
    return (-severity_rank(violation.severity), violation.rule, violation.file or "", violation.line or 0)
