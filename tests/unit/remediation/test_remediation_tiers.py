"""The tier of each action comes from the policy table (environment and blast radius), not from the model."""

from __future__ import annotations

import pytest
from agentic_common.environments import load_rules
from agentic_remediation.logic.catalogue import CatalogueError, load_catalogue
from agentic_remediation.logic.facts import Target
from agentic_remediation.logic.planning import action_digest, plan
from agentic_remediation.logic.tiers import load_tier_policy, tier_policy_from

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
        ("qa-unknown", "instance", None),
        ("qa-unknown", "service", None),
        ("qa-unknown", "shared", None),
    ],
)
def test_the_tier_policy_table(environment: str, blast_radius: str, tier: str | None) -> None:
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
    assert (action.tier, action.executable, action.decided_by) == (tier, True, "tier-policy@v2")
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


RULES = load_rules()
APPROVAL_ENVIRONMENTS = [name for name in RULES.names if RULES.for_environment(name).approval.required]
EXECUTABLE = [
    "restart-unhealthy-service",
    "rollback-to-previous-version",
    "scale-out-on-latency",
    "resync-drifted-deployment",
]


def test_the_tier_table_has_a_row_for_exactly_the_environments_of_the_environment_table() -> None:
    assert sorted(POLICY.environments) == sorted(RULES.names)


def test_prod_is_an_environment_that_requires_approval() -> None:
    assert "prod" in APPROVAL_ENVIRONMENTS


@pytest.mark.parametrize("environment", APPROVAL_ENVIRONMENTS)
@pytest.mark.parametrize("playbook", EXECUTABLE)
def test_where_the_environment_requires_approval_every_action_needs_one(
    environment: str, playbook: str
) -> None:
    # Given an action that changes what runs (or restarts it) in an environment that requires approval
    book = CATALOGUE.get(playbook)
    assert book is not None
    # When it is planned on actionable evidence
    [action] = plan(book, book.defaults(), Target("orders-api", "dep-1", environment), "evt-1", POLICY)
    # Then it waits for a person
    assert action.tier == "assisted"


def test_a_tier_table_that_automates_in_an_environment_requiring_approval_is_refused() -> None:
    document = {
        "version": 3,
        "environments": {
            "dev": {"instance": "automated", "service": "automated", "shared": "assisted"},
            "staging": {"instance": "automated", "service": "assisted", "shared": "assisted"},
            "prod": {"instance": "assisted", "service": "automated", "shared": "advisory"},
        },
    }
    with pytest.raises(CatalogueError, match=r"prod/service: automated, but prod requires an approval"):
        tier_policy_from(document, "tiers.yaml", RULES)


def test_a_tier_table_that_misses_or_invents_an_environment_is_refused() -> None:
    document = {
        "version": 3,
        "environments": {
            "dev": {"instance": "automated", "service": "automated", "shared": "assisted"},
            "qa": {"instance": "automated", "service": "assisted", "shared": "assisted"},
        },
    }
    with pytest.raises(CatalogueError) as refused:
        tier_policy_from(document, "tiers.yaml", RULES)
    assert "environment 'prod' of the environment table has no tier row" in str(refused.value)
    assert "tier row 'qa' names an environment the environment table does not declare" in str(refused.value)


def test_an_environment_the_environment_table_does_not_declare_gets_advice_only() -> None:
    book = CATALOGUE.get("restart-unhealthy-service")
    assert book is not None
    [action] = plan(book, book.defaults(), Target("orders-api", "dep-1", "qa"), "evt-1", POLICY)
    assert (action.tier, action.executable) == ("advisory", False)
    assert "'qa' is not in the environment table" in action.reason


def test_evidence_that_is_held_back_makes_an_automated_action_advisory() -> None:
    book = CATALOGUE.get("restart-unhealthy-service")
    assert book is not None
    target = Target("orders-api", "dep-1", "dev")
    [action] = plan(book, book.defaults(), target, "evt-1", POLICY, held_back="p95 meets the objective")
    assert (action.tier, action.executable) == ("advisory", False)
    assert action.reason.endswith("the evidence does not allow it: p95 meets the objective")
