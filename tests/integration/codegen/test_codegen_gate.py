"""The quality gate: every catalogue combination, rendered, passes every common check with the real tools.

Node and Go combinations are here too (their language checks are in test_codegen_gate_node/go): they fail
while their templates are missing, because the catalogue offers them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from agentic_gate.combinations import Combination, combinations, render_to
from agentic_gate.matrix import COMMON_CHECKS

COMBINATIONS = combinations()
RENDERED: dict[str, Path] = {}


@pytest.fixture(scope="module")
def rendered_root(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Combination], Path]:
    def render(combination: Combination) -> Path:
        if combination.id not in RENDERED:
            RENDERED[combination.id] = render_to(combination, tmp_path_factory.mktemp(combination.id))
        return RENDERED[combination.id]

    return render


@pytest.mark.slow
@pytest.mark.parametrize("check", sorted(COMMON_CHECKS))
@pytest.mark.parametrize("combination", COMBINATIONS, ids=[c.id for c in COMBINATIONS])
def test_every_combination_passes_every_common_check(
    combination: Combination, check: str, rendered_root: Callable[[Combination], Path]
) -> None:
    # Given the combination rendered into a directory
    root = rendered_root(combination)

    # When the check runs its real tool over it
    outcome = COMMON_CHECKS[check](root)

    # Then it passes (or does not apply: openapi.yaml for event consumers)
    assert outcome.passed, "\n".join(outcome.problems)
    if check == "openapi":
        assert outcome.status == ("pass" if combination.pattern == "rest" else "n/a")
