"""The decision cache: an unchanged input (same digest, same bundle) answers without running the
engines again; any change to the files, the environment or the scope is evaluated anew (issue 16)."""

from __future__ import annotations

from agentic_policy.adapters.decision_cache import MemoryDecisionCache
from agentic_policy.logic.engines import Scope
from agentic_policy.logic.evaluate import PolicyEngine

DOCKERFILE = b"FROM python:latest\nRUN pip install flask\nCMD python app.py\n"
FAST = Scope(checkov=False, secrets=False)  # rego, hadolint, schemas: enough to find something


def engine_with(cache: MemoryDecisionCache, template: PolicyEngine) -> PolicyEngine:
    return PolicyEngine(bundle=template.bundle, cache=cache)


def test_an_unchanged_input_answers_from_the_cache_with_the_same_evaluation(engine: PolicyEngine) -> None:
    # Given an engine with a decision cache that has evaluated a Dockerfile once
    cache = MemoryDecisionCache()
    cached = engine_with(cache, engine)
    first = cached.evaluate({"Dockerfile": DOCKERFILE}, "prod", scope=FAST)
    # When the same file is evaluated again for the same environment
    again = cached.evaluate({"Dockerfile": DOCKERFILE}, "prod", scope=FAST)
    # Then the answer came from the cache, and it is the same evaluation
    assert (cache.misses, cache.hits) == (1, 1)
    assert again == first
    assert first.violations  # the Dockerfile breaks rules: the cache holds findings, not an empty run


def test_a_changed_file_or_environment_is_evaluated_again(engine: PolicyEngine) -> None:
    # Given an engine with a decision cache that has evaluated a Dockerfile for prod
    cache = MemoryDecisionCache()
    cached = engine_with(cache, engine)
    cached.evaluate({"Dockerfile": DOCKERFILE}, "prod", scope=FAST)
    # When one byte of the file changes, and then the environment
    changed = cached.evaluate({"Dockerfile": DOCKERFILE + b"\n"}, "prod", scope=FAST)
    elsewhere = cached.evaluate({"Dockerfile": DOCKERFILE}, "dev", scope=FAST)
    # Then neither answer came from the cache
    assert (cache.misses, cache.hits) == (3, 0)
    assert changed.digest != elsewhere.digest


def test_the_cache_keeps_only_its_most_recent_entries(engine: PolicyEngine) -> None:
    # Given a cache of two entries that has seen three inputs
    cache = MemoryDecisionCache(entries=2)
    cached = engine_with(cache, engine)
    for n in range(3):
        cached.evaluate({"Dockerfile": DOCKERFILE + b"#" * n}, "prod", scope=FAST)
    # When the oldest input comes again
    cached.evaluate({"Dockerfile": DOCKERFILE}, "prod", scope=FAST)
    # Then it was evaluated again (evicted), not answered from the cache
    assert (cache.misses, cache.hits) == (4, 0)
