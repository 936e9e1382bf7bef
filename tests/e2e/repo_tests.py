"""A generated repository's own tests, run as its README says, from a clone, in a fresh environment.

Python: a new uv virtualenv with ``requirements-dev.txt``, then ``pytest``. Node: ``npm ci`` of the
committed lock file (through the suite's npm download cache, ``tests.tools.npm_cache_root()``), then
``npm test``. Go: ``go test ./...`` with the committed go.mod/go.sum only (modules and build results in
the project's Go cache). Each run has a clean environment (PATH and a HOME of its own), so nothing of the
test process leaks into it. The package caches (uv's, npm's, Go's) are warm across runs, as a CI cache
is: what is fresh is the environment (a new venv, a new node_modules), not the downloads.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from agentic_checks.toolchain import go_binary, go_cache, go_env

from tests.tools import locate

TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class RepoTestRun:
    passed: bool
    output: str
    """The tail of what the failing step printed (empty when everything passed)."""


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
    )


def _clean_env(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}


def _steps(steps: list[tuple[str, list[str], dict[str, str], str]], cwd: Path) -> RepoTestRun:
    """Each (name, command, env, text the output must show) in turn; the first failing one is the answer."""
    for name, command, env, must_show in steps:
        result = _run(command, cwd, env)
        output = result.stdout + result.stderr
        if result.returncode != 0 or must_show not in output:
            return RepoTestRun(False, f"{name} failed (exit {result.returncode}):\n{output[-3000:]}")
    return RepoTestRun(True, "")


def clone(repo_url: str, commit: str, into: Path) -> None:
    subprocess.run(["git", "clone", "--quiet", repo_url, str(into)], check=True, timeout=120)
    head = subprocess.run(
        ["git", "-C", str(into), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    if head != commit:
        raise AssertionError(f"{repo_url} HEAD is {head}, the workflow recorded {commit}")


def python_tests(checkout: Path, work: Path) -> RepoTestRun:
    venv = work / "venv"
    python = str(venv / "bin" / "python")
    uv = [sys.executable, "-m", "uv"]
    env = os.environ.copy()  # uv finds its cache and index settings here; the tests get a clean one
    return _steps(
        [
            ("uv venv", [*uv, "venv", "--quiet", "--python", sys.executable, str(venv)], env, ""),
            (
                "uv pip install",
                [*uv, "pip", "install", "--quiet", "--python", python, "-r", "requirements-dev.txt"],
                env,
                "",
            ),
            (
                "pytest",
                [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                _clean_env(work / "home"),
                " passed",
            ),
        ],
        checkout,
    )


def node_tests(checkout: Path, work: Path, npm_cache: Path) -> RepoTestRun:
    npm = str(locate("npm"))
    env = _clean_env(work / "home") | {
        "npm_config_cache": str(npm_cache),
        "npm_config_update_notifier": "false",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
    }
    return _steps(
        [("npm ci", [npm, "ci", "--prefer-offline"], env, ""), ("npm test", [npm, "test"], env, "# fail 0")],
        checkout,
    )


def go_tests(checkout: Path) -> RepoTestRun:
    env = go_env(go_cache())
    return _steps(
        [("go test ./...", [str(go_binary()), "test", "-count=1", "./..."], env, "ok  \t")], checkout
    )


def run_repo_tests(language: str, checkout: Path, work: Path, npm_cache: Path) -> RepoTestRun:
    if language == "python":
        return python_tests(checkout, work)
    if language == "node":
        return node_tests(checkout, work, npm_cache)
    if language == "go":
        return go_tests(checkout)
    raise ValueError(f"no test runner for language {language!r}")
