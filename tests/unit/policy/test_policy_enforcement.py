"""Enforcement levels: dev advisory, staging blocks high+critical, prod blocks medium and above."""

from __future__ import annotations

import pytest
from agentic_common.events.policy import Severity, Violation
from agentic_policy.logic.enforcement import UnknownEnvironmentError, blocking_violations, is_blocking


def violation(severity: Severity) -> Violation:
    return Violation(rule="X-001 x", severity=severity, category="test", message="m")


@pytest.mark.parametrize(
    ("environment", "severity", "blocks"),
    [
        ("dev", "critical", False),
        ("dev", "low", False),
        ("staging", "critical", True),
        ("staging", "high", True),
        ("staging", "medium", False),
        ("staging", "low", False),
        ("prod", "critical", True),
        ("prod", "high", True),
        ("prod", "medium", True),
        ("prod", "low", False),
    ],
)
def test_a_violation_blocks_according_to_the_environment_threshold(
    environment: str, severity: Severity, blocks: bool
) -> None:
    assert is_blocking(violation(severity), environment) is blocks


def test_blocking_violations_keeps_only_those_at_or_above_the_threshold() -> None:
    # Given one violation of each severity / When filtered for staging / Then high and critical remain
    all_severities = [violation(s) for s in ("low", "medium", "high", "critical")]
    assert [v.severity for v in blocking_violations(all_severities, "staging")] == ["high", "critical"]


def test_an_unknown_environment_is_an_error_that_lists_the_known_ones() -> None:
    with pytest.raises(UnknownEnvironmentError, match="dev, staging, prod"):
        is_blocking(violation("low"), "production")
