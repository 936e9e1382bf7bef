"""reap_orphans stops only what a dead worker left running from a deployment's own venv."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.processes import pid_alive, process_started
from agentic_deployment.adapters.local.python_env import find_uv
from agentic_deployment.adapters.local.state_file import DeploymentDir, DeploymentState, write_state

Sleeper = Callable[[str], subprocess.Popen[bytes]]


@pytest.fixture
def sleeper() -> Iterator[Sleeper]:
    """Starts a process that sleeps with ``marker`` on its command line; kills them all afterwards."""
    started: list[subprocess.Popen[bytes]] = []

    def start(marker: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-c", "import time; time.sleep(120)", marker]
        started.append(subprocess.Popen(command, start_new_session=True))
        return started[-1]

    try:
        yield start
    finally:
        for process in started:
            process.kill()
            process.wait()


def record(home: Path, deployment_id: str, pid: int, worker_pid: int, started: str | None) -> Path:
    layout = DeploymentDir(home.resolve() / "deployments" / deployment_id)
    layout.root.mkdir(parents=True)
    state = DeploymentState(
        deployment_id=deployment_id, pid=pid, port=1, url="http://127.0.0.1:1", commit="0" * 40,
        venv=str(layout.venv), started_at=datetime.now(UTC), worker_pid=worker_pid, worker_started=started,
    )  # fmt: skip
    write_state(layout.state_file, state)
    return layout.state_file


def venv_of(home: Path, deployment_id: str) -> str:
    return str(DeploymentDir(home.resolve() / "deployments" / deployment_id).venv)


def test_a_process_from_the_venv_of_a_dead_worker_is_stopped(
    home: Path, sleeper: Sleeper, dead_pid: int
) -> None:
    # Given a recorded process running from its deployment's venv, whose worker is gone
    process = sleeper(venv_of(home, "dep-orphan"))
    state_file = record(home, "dep-orphan", process.pid, dead_pid, "1")

    # When orphans are reaped
    reaped = LocalProcessTarget(home=home, uv=find_uv(), stop_grace_seconds=1).reap_orphans()

    # Then it was stopped, and its state forgotten
    assert reaped == 1
    assert not pid_alive(process.pid)
    assert not state_file.exists()


def test_a_recorded_pid_that_is_not_from_the_venv_is_left_alone(
    home: Path, sleeper: Sleeper, dead_pid: int
) -> None:
    # Given a state whose pid now belongs to an unrelated process (pid reuse)
    process = sleeper("unrelated")
    record(home, "dep-reused", process.pid, dead_pid, "1")

    # When orphans are reaped
    reaped = LocalProcessTarget(home=home, uv=find_uv(), stop_grace_seconds=1).reap_orphans()

    # Then nothing was stopped
    assert reaped == 0
    assert pid_alive(process.pid)


def test_a_process_whose_worker_still_runs_is_left_alone(home: Path, sleeper: Sleeper) -> None:
    # Given a recorded process whose worker is this (running) process
    process = sleeper(venv_of(home, "dep-owned"))
    state_file = record(home, "dep-owned", process.pid, os.getpid(), process_started(os.getpid()))

    # When orphans are reaped
    reaped = LocalProcessTarget(home=home, uv=find_uv(), stop_grace_seconds=1).reap_orphans()

    # Then it keeps running and its state is kept
    assert reaped == 0
    assert pid_alive(process.pid)
    assert state_file.exists()
