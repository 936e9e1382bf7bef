"""The generated Go project's own checks: ``go build ./...``, ``go vet ./...`` and ``go test ./...``.

They run with the committed go.mod and go.sum only (``-mod=readonly``: a missing or wrong checksum fails
the build instead of being added), modules and build results cached under
``agentic_checks.toolchain.go_cache()``.
``store_env`` (``TEST_DATABASE_URL``, ``TEST_REDIS_URL``, ``AWS_ENDPOINT_URL`` ...) points the
repository's adapter tests at real servers; without it those tests report themselves skipped.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from agentic_checks.toolchain import go_binary, go_cache, go_env

from agentic_gate.outcome import NOT_APPLICABLE, Outcome, from_problems

TIMEOUT_SECONDS = 900
GO_CHECKS = ("go-build", "go-vet", "go-test")


def run_go(
    args: list[str], root: Path, cache: Path | None = None, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = go_env(cache or go_cache()) | (extra_env or {})
    return subprocess.run(
        [str(go_binary()), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def _outcome(result: subprocess.CompletedProcess[str], what: str) -> Outcome:
    if result.returncode == 0:
        return from_problems([])
    return from_problems([f"{what} failed:\n{(result.stdout + result.stderr)[-4000:]}"])


def _test_outcome(result: subprocess.CompletedProcess[str], must_pass: tuple[str, ...]) -> Outcome:
    if result.returncode != 0:
        return _outcome(result, "go test ./...")
    return from_problems(
        f"{name} did not run against its server (skipped or missing):\n{result.stdout[-2000:]}"
        for name in must_pass
        if f"--- PASS: {name} " not in result.stdout
    )


def check_go(
    root: Path,
    cache: Path | None = None,
    store_env: dict[str, str] | None = None,
    must_pass: tuple[str, ...] = (),
) -> dict[str, Outcome]:
    """go build, go vet and go test (uncached, verbose) of a rendered Go repository; ``must_pass`` names
    tests that must have passed, not skipped (the adapters' real-server tests when ``store_env`` is given)."""
    if not (root / "go.mod").exists():
        return dict.fromkeys(GO_CHECKS, NOT_APPLICABLE)
    built = run_go(["build", "./..."], root, cache)
    if built.returncode != 0:
        failed = _outcome(built, "go build ./...")
        return dict.fromkeys(GO_CHECKS, failed)
    tested = run_go(["test", "-count=1", "-v", "./..."], root, cache, store_env)
    return {
        "go-build": from_problems([]),
        "go-vet": _outcome(run_go(["vet", "./..."], root, cache), "go vet ./..."),
        "go-test": _test_outcome(tested, must_pass),
    }
