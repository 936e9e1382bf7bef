"""The tier of each action comes from the policy table (environment and blast radius), not from the model."""

from __future__ import annotations

import pytest
from agentic_remediation.logic.catalogue import load_catalogue
from agentic_remediation.logic.facts import Target
from agentic_remediation.logic.planning import action_digest, plan
from agentic_remediation.logic.tiers import load_tier_policy

POLICY = load_tier_policy()
CATALOGUE = load_catalogue()


@pytest.mark.parametrize(
    ("environment", "blast_radius", "tier"),
    [
        ("dev", "instance", "automated"),
        ("dev", "service", "automated"),
        ("dev", "shared", "assisted"),
        ("staging", "instance", "automated"),
        ("staging", "service", "assisted"),
        ("staging", "shared", "assisted"),
        ("prod", "instance", "assisted"),
        ("prod", "service", "assisted"),
        ("prod", "shared", "advisory"),
        ("qa-unknown", "instance", "assisted"),
        ("qa-unknown", "service", "advisory"),
        ("qa-unknown", "shared", "advisory"),
    ],
)
def test_the_tier_policy_table(environment: str, blast_radius: str, tier: str) -> None:
    assert POLICY.tier_for(environment, blast_radius) == tier  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("playbook", "environment", "tier"),
    [
        ("restart-unhealthy-service", "dev", "automated"),
        ("restart-unhealthy-service", "prod", "assisted"),
        ("rollback-to-previous-version", "staging", "assisted"),
        ("scale-out-on-latency", "dev", "automated"),
        ("resync-drifted-deployment", "prod", "assisted"),
    ],
)
def test_an_executable_action_gets_the_tier_of_its_environment_and_blast_radius(
    playbook: str, environment: str, tier: str
) -> None:
    # Given
    book = CATALOGUE.get(playbook)
    assert book is not None
    target = Target("orders-api", "dep-1", environment)
    # When
    [action] = plan(book, book.defaults(), target, "evt-1", POLICY)
    # Then
    assert (action.tier, action.executable, action.decided_by) == (tier, True, "tier-policy@v1")
    assert f"{environment} with {book.blast_radius} blast radius" in action.reason


@pytest.mark.parametrize(
    ("playbook", "reason"),
    [
        ("fix-infrastructure-drift", "no Terraform run executor"),
        ("bump-vulnerable-dependency", "merge-request"),
    ],
)
def test_an_action_with_no_executor_here_is_advisory_with_the_reason_even_in_dev(
    playbook: str, reason: str
) -> None:
    book = CATALOGUE.get(playbook)
    assert book is not None
    [action] = plan(book, book.defaults(), Target("orders-api", "dep-1", "dev"), "evt-1", POLICY)
    assert (action.tier, action.executable) == ("advisory", False)
    assert reason in action.reason


def test_an_action_without_a_running_target_is_advisory() -> None:
    book = CATALOGUE.get("restart-unhealthy-service")
    assert book is not None
    [action] = plan(book, book.defaults(), None, "evt-1", POLICY)
    assert (action.tier, action.executable) == ("advisory", False)
    assert "names no running deployment" in action.reason


def test_the_digest_binds_the_action_its_parameters_its_target_and_the_playbook() -> None:
    target = Target("orders-api", "dep-1", "prod")
    base = action_digest("scale", {"replicas": 2}, target, "scale-out-on-latency@1.0.0")
    changed = [
        action_digest("restart", {"replicas": 2}, target, "scale-out-on-latency@1.0.0"),
        action_digest("scale", {"replicas": 3}, target, "scale-out-on-latency@1.0.0"),
        action_digest(
            "scale", {"replicas": 2}, Target("orders-api", "dep-2", "prod"), "scale-out-on-latency@1.0.0"
        ),
        action_digest("scale", {"replicas": 2}, target, "scale-out-on-latency@1.0.1"),
    ]
    assert len(base) == 64
    assert base == action_digest("scale", {"replicas": 2}, target, "scale-out-on-latency@1.0.0")
    assert base not in changed
    assert len(set(changed)) == 4


def test_action_ids_are_deterministic_per_incident() -> None:
    book = CATALOGUE.get("restart-unhealthy-service")
    assert book is not None
    target = Target("orders-api", "dep-1", "dev")
    first = plan(book, book.defaults(), target, "inc-1", POLICY)[0].action_id
    assert first == plan(book, book.defaults(), target, "inc-1", POLICY)[0].action_id
    assert first != plan(book, book.defaults(), target, "inc-2", POLICY)[0].action_id
