"""The generated Python projects: ruff is clean and their own tests pass in a fresh virtualenv (uv)."""

from __future__ import annotations

from pathlib import Path

import pytest
from agentic_gate.combinations import Combination, combinations, render_to
from agentic_gate.python_checks import check_python_tests, check_ruff

PYTHON = [c for c in combinations() if c.language == "python"]


@pytest.mark.slow
@pytest.mark.parametrize("combination", PYTHON, ids=[c.id for c in PYTHON])
def test_the_generated_python_project_is_ruff_clean_and_passes_its_tests(
    combination: Combination, tmp_path: Path
) -> None:
    # Given the combination rendered into a directory
    root = render_to(combination, tmp_path / "repo")

    # When ruff runs, and the project's tests run in a new virtualenv with its pinned requirements
    lint = check_ruff(root)
    tests = check_python_tests(root, tmp_path / "venv")

    # Then both pass
    assert lint.status == "pass", "\n".join(lint.problems)
    assert tests.status == "pass", "\n".join(tests.problems)
