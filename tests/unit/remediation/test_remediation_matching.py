"""Which playbooks a trigger selects: match conditions hold, unless conditions do not."""

from __future__ import annotations

from typing import Any

import pytest
from agentic_remediation.logic.facts import facts_of, signal_of
from agentic_remediation.logic.matching import holds


@pytest.mark.parametrize(
    ("condition", "value", "expected"),
    [
        (["dev", "prod"], "dev", True),
        (["dev", "prod"], "staging", False),
        (["dependency"], ["container", "dependency"], True),
        (["dependency"], ["container"], False),
        ([True], True, True),
        ([True], 1, False),
        (["dev"], None, False),
        ({"min": 3}, 4.5, True),
        ({"min": 3}, 2.0, False),
        ({"min": 1, "max": 2}, 3, False),
        ({"min": 1}, "3", False),
        ({"exists": True}, "x", True),
        ({"exists": True}, None, False),
        ({"exists": False}, None, True),
    ],
)
def test_a_condition_holds_exactly_when_it_should(condition: Any, value: Any, expected: bool) -> None:
    assert holds(condition, value) is expected


@pytest.mark.parametrize(
    ("series", "signal"),
    [
        ("p95_latency_ms", "latency"),
        ("error_rate", "errors"),
        ("health", "health"),
        ("terraform_drift", "drift"),
        ("queue_depth", "other"),
        (None, "other"),
    ],
)
def test_a_series_name_is_classified_into_a_signal(series: str | None, signal: str) -> None:
    assert signal_of(series) == signal


def test_a_monitor_anomaly_gives_its_target_and_signal_as_facts(make_anomaly: Any) -> None:
    facts = facts_of(make_anomaly("dev", series="error_rate"))
    assert facts["event"] == "anomaly.detected"
    assert (facts["has_target"], facts["signal"], facts["kind"]) == (True, "errors", "unhealthy")
    assert (facts["service"], facts["deployment_id"], facts["environment"]) == (
        "orders-api",
        "dep-orders-dev",
        "dev",
    )


def test_selection_by_trigger(decider: Any, make_anomaly: Any, policy_violated: Any) -> None:
    # Given the shipped catalogue / When each trigger is decided / Then the expected playbook wins
    assert decider.decide(make_anomaly("dev")).playbook.id == "restart-unhealthy-service"
    assert (
        decider.decide(make_anomaly("dev", series="gitops_drift")).playbook.id == "resync-drifted-deployment"
    )
    assert (
        decider.decide(make_anomaly("dev", series="terraform_drift")).playbook.id
        == "fix-infrastructure-drift"
    )
    assert decider.decide(policy_violated).playbook.id == "fix-policy-violations"


def test_a_dependency_violation_selects_the_dependency_bump(decider: Any, policy_violated: Any) -> None:
    # Given a violation in the dependency category
    violations = (policy_violated.outputs.violations[0].model_copy(update={"category": "dependency"}),)
    bumped = policy_violated.model_copy(
        update={"outputs": policy_violated.outputs.model_copy(update={"violations": violations})}
    )
    # When
    decision = decider.decide(bumped)
    # Then the merge request playbook wins, as advisory (no executor here)
    assert decision.playbook.id == "bump-vulnerable-dependency"
    assert [a.tier for a in decision.actions] == ["advisory"]
