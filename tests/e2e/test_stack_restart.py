"""`agentic up` as a user runs it: a killed deployment worker keeps its services, Ctrl-C leaves no orphans,
and the next start finds the workflow and serves the deployed service again at the same address.

Real parts throughout: the `agentic up` process with every service, the local AWS with its state file,
a golden-path workflow that generates, checks, deploys and verifies a Python service.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from agentic_local.auth import issue_token
from agentic_local.moto_server import free_port
from agentic_local.process_signals import ask_for_stacks

from tests.e2e.conftest import RunningStack
from tests.helpers import ignore_sigint

pytestmark = pytest.mark.slow

PARAMS = {"serviceName": "restart-api", "language": "python", "environment": "dev"}
PATIENCE = 300.0  # seconds before a wait gives up (a hang guard, not a measurement)
STOP_PATIENCE = 200.0  # below the test timeout, so a hang fails with the stacks of what still runs


def _wait(what: str, probe: Callable[[], Any], timeout: float = PATIENCE) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := probe():
            return value
        time.sleep(0.5)
    pytest.fail(f"{what}: not within {timeout:.0f} s")


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2, trust_env=False).status_code == 200
    except httpx.HTTPError:
        return False


def _children(parent: int) -> dict[str, int]:
    """The service processes `agentic up` started, by name (from /proc)."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"agentic_local.serve" in argv:
            found[argv[argv.index(b"agentic_local.serve") + 1].decode()] = int(proc.name)
    return found


def _running_from(path: Path) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(proc / "cwd")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if (str(path) in cmdline or cwd.startswith(str(path))) and state != "Z":
            found.append(int(proc.name))
    return found


class Up:
    """One `agentic up` process on a home; started and stopped (Ctrl-C) by the test."""

    def __init__(self, home: Path, ports: tuple[int, int]) -> None:
        self.home, self.ports = home, ports
        self.process: subprocess.Popen[bytes] | None = None
        self.log = home.parent / "up.log"

    def start(self) -> RunningStack:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANTHROPIC_"))}
        env.update(
            AGENTIC_HOME=str(self.home),
            AGENTIC_API_PORT=str(self.ports[0]),
            AGENTIC_AWS_PORT=str(self.ports[1]),
            AGENTIC_ENV="restart",
            AGENTIC_SWEEP_SECONDS="1",
        )
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # its own process group, as in a terminal
                [sys.executable, "-m", "agentic_cli.main", "up"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=ignore_sigint,  # noqa: PLW1509 - as a background job of a script (CI) starts it
            )
        _wait(
            "the stack to start",
            lambda: (self.home / "stack.json").exists() or self.process.poll() is not None,
        )  # type: ignore[union-attr]
        assert self.process.poll() is None, self.log.read_text()[-3000:]
        api = f"http://127.0.0.1:{self.ports[0]}"
        headers = {"Authorization": f"Bearer {issue_token(self.home)}"}
        return RunningStack(
            self.home, api, httpx.Client(base_url=api, timeout=30, headers=headers), self.process
        )

    def interrupt(self) -> None:
        """Ctrl-C, as a terminal sends it (SIGINT to the foreground process group), and wait."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:  # its own stop allows 20 s for the services and 120 s for the local AWS to write its state
                self.process.wait(timeout=STOP_PATIENCE)
            except subprocess.TimeoutExpired:
                children = _children(self.process.pid)
                ask_for_stacks([self.process.pid, *children.values()])  # each writes its threads to its log
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
                logs = "\n".join(
                    f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
                    for path in (self.home / "logs" / f"{name}.log" for name in children)
                    if path.exists()
                )
                pytest.fail(
                    f"`agentic up` did not stop within {STOP_PATIENCE:.0f} s of Ctrl-C; still running: "
                    f"{sorted(children)}\n--- up.log\n{self.log.read_text(errors='replace')[-4000:]}\n{logs}"
                )


@pytest.fixture(scope="module")
def up(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Up]:
    home = tmp_path_factory.mktemp("restart") / "home"
    runner = Up(home, (free_port(), free_port()))
    yield runner
    runner.interrupt()


@pytest.fixture(scope="module")
def golden(up: Up) -> dict[str, Any]:
    """A completed dev workflow (its deployed service's address and the stack that made it)."""
    stack = up.start()
    created = stack.create(PARAMS)
    workflow = stack.wait_for_end(created["workflowId"])
    assert workflow["status"] == "completed", workflow
    deploy = next(t for t in workflow["tasks"] if t["taskId"] == "deploy")
    return {"workflow": workflow, "url": deploy["outputs"]["url"], "stack": stack}


def test_a_killed_deployment_worker_comes_back_and_its_service_keeps_its_address(
    up: Up, golden: dict[str, Any]
) -> None:
    # Given a deployed service answering at its address, and the deployment worker's pid
    assert up.process is not None
    worker = _children(up.process.pid)["deployment"]
    assert _healthy(golden["url"])
    # When the deployment worker is killed with SIGKILL
    os.kill(worker, signal.SIGKILL)
    # Then `agentic up` starts it again and the service answers at the same address
    _wait("a new deployment worker", lambda: _children(up.process.pid).get("deployment", worker) != worker)  # type: ignore[union-attr]
    _wait("the service at its address again", lambda: _healthy(golden["url"]))
    assert "deployment exited (killed by SIGKILL)" in up.log.read_text()


def test_ctrl_c_then_up_again_keeps_the_workflow_and_serves_the_service_again(
    up: Up, golden: dict[str, Any]
) -> None:
    # Given a completed workflow whose service runs
    workflow_id = golden["workflow"]["workflowId"]
    # When the stack is stopped with Ctrl-C
    started = time.monotonic()
    up.interrupt()
    stopped = time.monotonic()
    # Then nothing runs from the home any more (no orphans for the next start to kill)
    assert _running_from(up.home) == []
    assert not _healthy(golden["url"])
    # And when it starts again on the same home
    stack = up.start()
    restarted = time.monotonic()
    print(f"\nCtrl-C took {stopped - started:.1f} s; the start {restarted - stopped:.1f} s")
    # Then the workflow reads back as it was, and the service answers at the same address again
    again = stack.client.get(f"/workflows/{workflow_id}").json()
    assert again["status"] == "completed"
    assert again["tasks"] == golden["workflow"]["tasks"]
    _wait("the service at its address again", lambda: _healthy(golden["url"]))
