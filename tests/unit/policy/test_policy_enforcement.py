"""Enforcement levels: dev advisory, staging blocks high+critical, prod blocks medium and above;
configurable through POLICY_ENFORCEMENT."""

from __future__ import annotations

import pytest
from agentic_common.events.policy import Severity, Violation
from agentic_policy.logic.enforcement import DEFAULT_ENFORCEMENT, Enforcement, UnknownEnvironmentError


def violation(severity: Severity) -> Violation:
    return Violation(rule="X-001", severity=severity, category="test", message="m")


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
def test_a_violation_blocks_according_to_the_default_environment_threshold(
    environment: str, severity: Severity, blocks: bool
) -> None:
    assert DEFAULT_ENFORCEMENT.is_blocking(violation(severity), environment) is blocks


def test_the_default_modes_are_advisory_enforced_and_strict() -> None:
    assert [DEFAULT_ENFORCEMENT.mode(e) for e in ("dev", "staging", "prod")] == [
        "advisory",
        "enforced",
        "strict",
    ]


def test_blocking_keeps_only_those_at_or_above_the_threshold() -> None:
    # Given one violation of each severity / When filtered for staging / Then high and critical remain
    every_severity = [violation(s) for s in ("low", "medium", "high", "critical")]
    assert [v.severity for v in DEFAULT_ENFORCEMENT.blocking(every_severity, "staging")] == [
        "high",
        "critical",
    ]


def test_a_configured_enforcement_replaces_the_defaults() -> None:
    # Given a setting that makes dev enforce criticals and adds a qa environment
    enforcement = Enforcement.parse("dev=critical, staging=high, prod=low, qa=none")

    # Then each environment blocks at its own threshold
    assert enforcement.is_blocking(violation("critical"), "dev")
    assert not enforcement.is_blocking(violation("high"), "dev")
    assert enforcement.is_blocking(violation("low"), "prod")
    assert enforcement.mode("qa") == "advisory"


@pytest.mark.parametrize("text", ["", "dev", "dev=sometimes", "=high", "dev=high,prod"])
def test_a_malformed_enforcement_setting_is_rejected_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="POLICY_ENFORCEMENT"):
        Enforcement.parse(text)


def test_an_unknown_environment_is_an_error_that_lists_the_known_ones() -> None:
    with pytest.raises(UnknownEnvironmentError, match="dev, staging, prod"):
        DEFAULT_ENFORCEMENT.is_blocking(violation("low"), "production")
