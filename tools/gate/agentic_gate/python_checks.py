"""The generated Python project's own checks: ruff, and its tests in a fresh virtualenv built with uv."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agentic_checks.toolchain import find_script

from agentic_gate.outcome import NOT_APPLICABLE, Outcome, from_problems

TIMEOUT_SECONDS = 600


def _run(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
    )


def _uv() -> list[str]:
    return [sys.executable, "-m", "uv"]


def check_python_tests(root: Path, venv: Path) -> Outcome:
    """uv venv + pip install -r requirements-dev.txt, then the project's pytest and its own pinned ruff (what
    its CI runs), with a clean environment."""
    if not (root / "requirements.txt").exists():
        return NOT_APPLICABLE
    created = _run([*_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=root)
    if created.returncode != 0:
        return from_problems([f"uv venv failed: {created.stderr.strip()}"])
    python = venv / "bin" / "python"
    installed = _run(
        [*_uv(), "pip", "install", "--quiet", "--python", str(python), "-r", "requirements-dev.txt"], cwd=root
    )
    if installed.returncode != 0:
        return from_problems([f"installing requirements-dev.txt failed: {installed.stderr.strip()[-2000:]}"])
    clean_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(venv.parent)}
    tests = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root, env=clean_env)
    if tests.returncode != 0 or " passed" not in tests.stdout:
        return from_problems([f"the generated tests failed:\n{tests.stdout[-3000:]}{tests.stderr[-1000:]}"])
    lint = _run([str(venv / "bin" / "ruff"), "check", "--no-cache", "."], cwd=root, env=clean_env)
    if lint.returncode != 0:
        return from_problems([f"the project's pinned ruff reports:\n{lint.stdout[-3000:]}"])
    return from_problems([])


def check_ruff(root: Path) -> Outcome:
    """ruff check with the project's own configuration (pyproject.toml)."""
    if not (root / "pyproject.toml").exists() or not (root / "app").is_dir():
        return NOT_APPLICABLE
    result = _run(
        [str(find_script("ruff", "ruff")), "check", "--no-cache", "--output-format", "concise", "."], cwd=root
    )
    return from_problems([result.stdout.strip()[-3000:]] if result.returncode != 0 else [])
