"""Deployed local services outlive their worker: a new worker adopts them, or starts them again.

Real parts: git, uv, uvicorn services, the traffic proxy, and a worker process that is killed with
SIGKILL (its services run in their own sessions and keep running; its proxies die with it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from agentic_common.events.observability import Slo
from agentic_deployment.adapters.local.local_actions import LocalActions
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.local_release import LocalReleaseTarget
from agentic_deployment.adapters.local.processes import pid_alive
from agentic_deployment.adapters.local.python_env import find_uv
from agentic_deployment.ports import DeployRequest, Gate
from deployment_repos import healthy_app, make_repo

pytestmark = pytest.mark.slow

GATE = Gate(slo=Slo(p95_latency_ms=2000, max_error_rate=0.05, requests=5))
WORKER = """
import json, sys, time
from agentic_common.events.observability import Slo
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.local_release import LocalReleaseTarget
from agentic_deployment.adapters.local.python_env import find_uv
from agentic_deployment.ports import DeployRequest, Gate

home, repo, commit = sys.argv[1:4]
target = LocalReleaseTarget(LocalProcessTarget(home=__import__("pathlib").Path(home), uv=find_uv()))
gate = Gate(slo=Slo(p95_latency_ms=2000, max_error_rate=0.05, requests=5))
deploy = DeployRequest("dep-0000000000000001", "wf-1", "orders-api", "dev", repo, commit, 120, gate)
running = target.deploy(deploy)
print(json.dumps({"url": running.url, "pid": running.pid}), flush=True)
time.sleep(600)
"""


def request(repo: str, commit: str) -> DeployRequest:
    return DeployRequest("dep-0000000000000001", "wf-1", "orders-api", "dev", repo, commit, 120, GATE)


def release(url: str) -> str:
    return str(httpx.get(f"{url}/health", timeout=5, trust_env=False).json()["release"])


def reachable(url: str) -> bool:
    try:
        httpx.get(f"{url}/health", timeout=2, trust_env=False)
    except httpx.HTTPError:
        return False
    return True


@pytest.fixture
def repo(tmp_path: Path) -> tuple[str, str]:
    url, shas = make_repo(tmp_path / "repos", healthy_app("v1"))
    return url, shas[0]


@pytest.fixture
def new_worker(tmp_path: Path) -> Iterator[LocalReleaseTarget]:
    """The target of the worker that starts next on the same home (stopped, with what it runs, at the end)."""
    target = LocalReleaseTarget(LocalProcessTarget(home=tmp_path / "home", uv=find_uv()))
    yield target
    target.stop_all()


def _killed_worker(home: Path, repo: tuple[str, str]) -> dict[str, object]:
    """A worker process deploys the service, reports its address and pid, and is killed with SIGKILL."""
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(home), *repo], stdout=subprocess.PIPE, text=True
    )
    assert worker.stdout is not None
    deployed: dict[str, object] = json.loads(worker.stdout.readline())
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    return deployed


def test_a_service_left_running_by_a_killed_worker_is_adopted_at_the_same_address(
    tmp_path: Path, repo: tuple[str, str], new_worker: LocalReleaseTarget
) -> None:
    # Given a worker that deployed a service and was killed: the service runs on, its proxy is gone
    deployed = _killed_worker(tmp_path / "home", repo)
    url, pid = str(deployed["url"]), int(str(deployed["pid"]))
    assert pid_alive(pid)
    assert not reachable(url)
    # When the next worker starts
    reaped = new_worker.reap_orphans()
    # Then the same process takes traffic again at the same address, and nothing was stopped
    assert reaped == 0
    line = new_worker.line("orders-api", "dev")
    assert line is not None
    assert line.live is not None
    assert line.proxy.url == url
    assert line.live.running.pid == pid
    assert release(url) == "v1"


def test_after_a_graceful_stop_the_next_worker_starts_the_live_version_again(
    tmp_path: Path, repo: tuple[str, str], new_worker: LocalReleaseTarget
) -> None:
    # Given a worker that deployed a service and then stopped gracefully (Ctrl-C of `make up`)
    first = LocalReleaseTarget(LocalProcessTarget(home=tmp_path / "home", uv=find_uv()))
    running = first.deploy(request(*repo))
    first.stop_all()
    assert running.pid is not None
    assert not pid_alive(running.pid)
    assert not reachable(running.url)
    # When the next worker starts
    new_worker.reap_orphans()
    # Then the live version runs again (a new process) behind the same address
    line = new_worker.line("orders-api", "dev")
    assert line is not None
    assert line.live is not None
    assert line.live.running.pid != running.pid
    assert release(running.url) == "v1"


def test_remediation_can_restart_a_service_after_its_worker_was_killed(
    tmp_path: Path, repo: tuple[str, str], new_worker: LocalReleaseTarget
) -> None:
    # Given a service adopted by a new worker after the old one was killed
    deployed = _killed_worker(tmp_path / "home", repo)
    new_worker.reap_orphans()
    # When remediation restarts it
    before, after = LocalActions(new_worker).restart("orders-api", "dev", {})
    # Then a new process serves the same address, and the adopted one is stopped
    assert before["pid"] == deployed["pid"]
    assert after["pid"] != before["pid"]
    assert not pid_alive(int(str(before["pid"])))
    assert release(str(deployed["url"])) == "v1"
