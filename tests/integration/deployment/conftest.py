"""Fixtures for the deployment integration tests: a local deploy target that is always stopped."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.python_env import find_uv


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def local_target(home: Path) -> Iterator[LocalProcessTarget]:
    target = LocalProcessTarget(home=home, uv=find_uv())
    try:
        yield target
    finally:
        target.stop_all()


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
