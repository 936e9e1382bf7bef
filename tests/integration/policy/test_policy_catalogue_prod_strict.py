"""Every repository the codegen catalogue can generate passes its own target environment's policy
(dev, staging and prod) with no waiver, and never meets a cost limit in any environment.

The combinations come from the catalogue itself (``all_combinations``), so new ones are covered as
they land; strategies and event sources rotate across combinations so Rollout charts are covered too.
Each environment's manifests are judged against that environment's limits (issue 13, point 6).
"""

from __future__ import annotations

import pytest
from agentic_codegen.logic.catalogue import all_combinations
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_policy.logic.evaluate import PolicyEngine

COMBINATIONS = all_combinations()
STRATEGIES = ("rolling", "blue-green", "canary")
EVENT_SOURCES = ("sqs", "eventbridge")
ENVIRONMENTS = ("dev", "staging", "prod")


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine()


@pytest.fixture(scope="module")
def renderer() -> TemplateRenderer:
    return TemplateRenderer()


def test_the_catalogue_offers_combinations_to_check() -> None:
    assert len(COMBINATIONS) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("combination", COMBINATIONS, ids=["-".join(c) for c in COMBINATIONS])
def test_a_generated_repository_passes_its_environments_policy_without_waivers(
    combination: tuple[str, str, str], environment: str, engine: PolicyEngine, renderer: TemplateRenderer
) -> None:
    # Given the repository codegen renders for this combination, for its target environment
    language, database, pattern = combination
    index = COMBINATIONS.index(combination)
    raw = {
        "serviceName": "orders-api",
        "language": language,
        "database": database,
        "pattern": pattern,
        "environment": environment,
        "strategy": STRATEGIES[index % 3],
        "eventSource": EVENT_SOURCES[index % 2],
    }
    files = renderer.render(parse_parameters(raw))

    # When every engine evaluates it for that environment, with no waiver
    evaluation = engine.evaluate(files, environment, repository="orders-api")

    # Then nothing blocks, and no manifest or resource meets a cost limit (not even advisory in dev)
    blocking = [f"{v.rule} {v.file}:{v.line} {v.message}" for v in evaluation.blocking]
    assert blocking == [], "\n".join(blocking)
    cost = [f"{v.rule} {v.file} {v.message}" for v in evaluation.violations if v.rule.startswith("COST-")]
    assert cost == [], "\n".join(cost)
