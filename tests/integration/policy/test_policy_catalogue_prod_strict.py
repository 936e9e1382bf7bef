"""Every repository the codegen catalogue can generate passes prod-strict policy with no waiver.

The combinations come from the catalogue itself (``all_combinations``), so new ones are covered as
they land; strategies and event sources rotate across combinations so Rollout charts are covered too.
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


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine()


@pytest.fixture(scope="module")
def renderer() -> TemplateRenderer:
    return TemplateRenderer()


def test_the_catalogue_offers_combinations_to_check() -> None:
    assert len(COMBINATIONS) >= 3


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "database", "pattern"), COMBINATIONS, ids=["-".join(c) for c in COMBINATIONS]
)
def test_a_generated_repository_passes_prod_strict_without_waivers(
    language: str, database: str, pattern: str, engine: PolicyEngine, renderer: TemplateRenderer
) -> None:
    # Given the repository codegen renders for this combination, for prod
    index = COMBINATIONS.index((language, database, pattern))
    raw = {
        "serviceName": "orders-api",
        "language": language,
        "database": database,
        "pattern": pattern,
        "environment": "prod",
        "strategy": STRATEGIES[index % 3],
        "eventSource": EVENT_SOURCES[index % 2],
    }
    files = renderer.render(parse_parameters(raw))

    # When every engine evaluates it in prod (strict: medium and above block), with no waiver
    evaluation = engine.evaluate(files, "prod", repository="orders-api")

    # Then nothing blocks
    blocking = [f"{v.rule} {v.file}:{v.line} {v.message}" for v in evaluation.blocking]
    assert blocking == [], "\n".join(blocking)
