"""The generated repository, as pushed, installs and passes its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_common.git.local import LocalGitHost
from agentic_deployment.adapters.local.python_env import find_uv


def _run(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.slow
@pytest.mark.parametrize("database", ["none", "postgresql"])
def test_the_pushed_service_passes_its_own_tests(tmp_path: Path, database: str) -> None:
    # Given a service rendered, published to a local Git host and cloned back
    params = parse_parameters({"serviceName": "orders", "database": database, "environment": "staging"})
    repo = LocalGitHost(tmp_path / "git", "services").publish(
        "orders", TemplateRenderer().render(params), "Generate"
    )
    clone = tmp_path / "orders"
    assert _run(["git", "clone", "--quiet", repo.repo_url, str(clone)], cwd=tmp_path).returncode == 0

    # And a virtual environment with its pinned development requirements
    uv, venv = find_uv(), tmp_path / "venv"
    created = _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    installed = _run(
        [uv, "pip", "install", "--quiet", "--python", str(python), "-r", "requirements-dev.txt"],
        cwd=clone,
    )
    assert installed.returncode == 0, installed.stderr

    # When the repository's own test suite runs, isolated from this project's environment
    clean_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    tests = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=clone, env=clean_env)

    # Then every test passes
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout
    assert "failed" not in tests.stdout
