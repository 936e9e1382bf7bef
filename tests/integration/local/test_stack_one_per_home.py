"""A second `agentic up` on a home that a running stack holds refuses in one line and touches nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from agentic_local.moto_server import free_port

from tests.integration.local.stack_fixtures import Supervised, healthy, local_settings


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Supervised]:
    supervised = Supervised.start(local_settings(tmp_path / "home"), services=("planner-api",))
    yield supervised
    supervised.close()


def _second_up(home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AGENTIC_HOME=str(home), AGENTIC_API_PORT=str(free_port()), AGENTIC_AWS_PORT=str(free_port()))
    return subprocess.run(
        [sys.executable, "-m", "agentic_cli.main", "up"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_second_up_on_the_same_home_refuses_in_one_line_naming_the_running_stack(
    running: Supervised,
) -> None:
    # Given a stack running on a home
    home = running.stack.home
    # When `agentic up` starts again on the same home
    second = _second_up(home)
    # Then it exits non-zero with one line that names the running stack and its URL
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert lines[0].startswith(
        f"error: Agentic DevOps already runs on {home}: its API is {running.stack.api_url}"
    )
    assert "Agentic DevOps is running" not in second.stdout


def test_a_refused_second_up_leaves_the_running_stack_untouched(running: Supervised) -> None:
    # Given a stack running on a home, its stack.json and state as they are
    home = running.stack.home
    stack_json = (home / "stack.json").read_bytes()
    children = {name: child.pid for name, child in running.stack.children.items()}
    # When a second `agentic up` on the same home is refused
    assert _second_up(home).returncode == 1
    # Then the first one's stack.json, processes and API are as they were
    assert (home / "stack.json").read_bytes() == stack_json
    assert all(child.poll() is None for child in running.stack.children.values())
    assert {name: child.pid for name, child in running.stack.children.items()} == children
    assert healthy(running.stack.api_url)
