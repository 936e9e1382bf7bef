"""Enforcement levels come from the environment table (dev advisory, staging blocks high+critical, prod
blocks medium and above); POLICY_ENFORCEMENT may only make a level stricter."""

from __future__ import annotations

import pytest
from agentic_common.environments import load_rules
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


def test_the_default_levels_are_the_environment_tables() -> None:
    # Given the one table of environment rules
    rows = load_rules().environments
    # Then every environment's threshold is its row's policy enforcement, and nothing else is declared
    assert set(DEFAULT_ENFORCEMENT.thresholds) == set(rows)
    for environment, row in rows.items():
        expected = None if row.policy.enforcement == "none" else row.policy.enforcement
        assert DEFAULT_ENFORCEMENT.threshold(environment) == expected


def test_an_empty_setting_keeps_the_table_as_it_is() -> None:
    assert Enforcement.parse("").thresholds == DEFAULT_ENFORCEMENT.thresholds


def test_a_stricter_setting_makes_a_level_stricter() -> None:
    # Given a setting that makes dev enforce criticals and prod block every severity
    enforcement = Enforcement.parse("dev=critical, prod=low")

    # Then those environments block more, and staging keeps the table's level
    assert enforcement.is_blocking(violation("critical"), "dev")
    assert not enforcement.is_blocking(violation("high"), "dev")
    assert enforcement.is_blocking(violation("low"), "prod")
    assert enforcement.mode("staging") == "enforced"


@pytest.mark.parametrize("text", ["prod=high", "staging=none", "prod=none", "staging=critical"])
def test_a_setting_that_would_block_less_than_the_table_is_refused_naming_the_table_level(text: str) -> None:
    env = text.split("=", maxsplit=1)[0]
    with pytest.raises(ValueError, match=f"POLICY_ENFORCEMENT.*block less.*{env}="):
        Enforcement.parse(text)


def test_a_setting_for_an_environment_the_table_does_not_declare_is_refused() -> None:
    with pytest.raises(ValueError, match=r"declares no .qa.*rules\.json"):
        Enforcement.parse("qa=critical")


def test_an_unknown_environment_is_an_error_that_lists_the_known_ones() -> None:
    with pytest.raises(UnknownEnvironmentError, match="dev, staging, prod"):
        DEFAULT_ENFORCEMENT.is_blocking(violation("low"), "production")
