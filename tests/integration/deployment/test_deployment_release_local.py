"""Canary and blue-green releases on the real local target: real git, uv, uvicorn and the traffic proxy."""

from __future__ import annotations

import os
import signal
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
from agentic_deployment.logic.release import GateFailedError
from agentic_deployment.ports import DeployError, DeployRequest, Gate
from deployment_repos import REQUIREMENTS, make_repo

pytestmark = pytest.mark.slow

APP = """from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()


@app.get("/health")
def health() -> dict[str, str]:
    return {"release": "{release}"}


@app.get("/ready")
def ready() -> JSONResponse:
    broken = "{broken_when}" and Path("{broken_when}").exists()  # readiness fails once this file exists
    return JSONResponse({"release": "{release}"}, status_code=500 if broken else {ready_status})
"""
GATE = Gate(slo=Slo(p95_latency_ms=2000, max_error_rate=0.05, requests=10), probe_path="/ready")


def app(release: str, ready_status: int = 200, broken_when: Path | None = None) -> dict[str, str]:
    code = APP.replace("{release}", release).replace("{ready_status}", str(ready_status))
    code = code.replace("{broken_when}", str(broken_when or ""))
    return {"app/__init__.py": "", "app/main.py": code, "requirements.txt": REQUIREMENTS}


@pytest.fixture
def release_target(tmp_path: Path) -> Iterator[LocalReleaseTarget]:
    target = LocalReleaseTarget(LocalProcessTarget(home=tmp_path / "home", uv=find_uv()))
    try:
        yield target
    finally:
        target.stop_all()


def request(repo: str, commit: str, number: int, strategy: str = "canary") -> DeployRequest:
    return DeployRequest(
        deployment_id=f"dep-{number:016d}",
        workflow_id=f"wf-{number}",
        service_name="orders-api",
        environment="dev",
        repo_url=repo,
        commit=commit,
        timeout_seconds=120,
        strategy=strategy,  # type: ignore[arg-type]
        gate=GATE,
    )


def releases_answering(url: str, count: int = 10) -> set[str]:
    return {httpx.get(f"{url}/health", timeout=5, trust_env=False).json()["release"] for _ in range(count)}


def test_a_canary_passes_its_gated_steps_then_a_failing_version_is_rolled_back(
    tmp_path: Path, release_target: LocalReleaseTarget
) -> None:
    # Given a running first version and two more: a good one and one whose /ready answers 500
    repo, (one, two, bad) = make_repo(tmp_path / "git", app("one"), app("two"), app("bad", ready_status=500))
    first = release_target.deploy(request(repo, one, 1, "rolling"))

    # When the good version is released as a canary
    second = release_target.deploy(request(repo, two, 2))

    # Then it went 10% → 50% → 100%, each step passing on the proxy's measurements of that version
    assert [(s["weight"], s["passed"]) for s in second.steps] == [(10, True), (50, True), (100, True)]
    assert all(s["measurements"]["requests"] >= GATE.slo.requests for s in second.steps)
    assert second.url == first.url
    assert releases_answering(second.url) == {"two"}
    assert first.pid is not None
    assert not pid_alive(first.pid)

    # When the failing version is released as a canary
    with pytest.raises(GateFailedError) as failed:
        release_target.deploy(request(repo, bad, 3))

    # Then its first step failed on the error rate, it was stopped, and traffic is all back on "two"
    assert "step 1 (10% of traffic)" in str(failed.value)
    assert "error rate 100.0" in str(failed.value)
    assert failed.value.retryable is False
    assert releases_answering(second.url) == {"two"}
    line = release_target.line("orders-api", "dev")
    assert line is not None
    assert line.proxy.split.weights() == {two[:12]: 100}
    assert set(line.proxy.versions()) == {two[:12]}


def test_blue_green_probes_green_before_switching_all_traffic(
    tmp_path: Path, release_target: LocalReleaseTarget
) -> None:
    # Given blue running
    repo, (blue, green) = make_repo(tmp_path / "git", app("blue"), app("green"))
    release_target.deploy(request(repo, blue, 1, "rolling"))

    # When green is released blue-green
    running = release_target.deploy(request(repo, green, 2, "blue-green"))

    # Then green was judged on pinned probe traffic while blue had all of it, then took everything
    assert [(s["label"], s["passed"]) for s in running.steps] == [
        ("preview (0% of traffic)", True),
        ("100% of traffic", True),
    ]
    assert releases_answering(running.url) == {"green"}


def test_restart_rollback_and_resync_act_on_the_running_line(
    tmp_path: Path, release_target: LocalReleaseTarget
) -> None:
    # Given "one" then "two" released on a line
    repo, (one, two) = make_repo(tmp_path / "git", app("one"), app("two"))
    release_target.deploy(request(repo, one, 1, "rolling"))
    second = release_target.deploy(request(repo, two, 2, "rolling"))
    actions = LocalActions(release_target)

    # When it is restarted / Then a new process serves the same version at the same URL
    before, after = actions.restart("orders-api", "dev", {})
    assert before["pid"] != after["pid"]
    assert after["version"] == two
    assert releases_answering(second.url) == {"two"}

    # When its process dies and the line is resynced / Then it runs healthy again
    os.kill(after["pid"], signal.SIGKILL)
    _, resynced = actions.resync("orders-api", "dev", {})
    assert resynced["pid"] != after["pid"]
    assert releases_answering(second.url) == {"two"}

    # When it is rolled back / Then the version before has all traffic (from its kept install),
    # having passed its gate at 100% with its measurements recorded
    _, rolled = actions.rollback("orders-api", "dev", {"to_version": one[:12]})
    assert rolled["version"] == one
    assert rolled["split"] == {one[:12]: 100}
    assert [(s["weight"], s["passed"]) for s in rolled["steps"]] == [(100, True)]
    assert rolled["steps"][0]["measurements"]["requests"] >= GATE.slo.requests
    assert releases_answering(second.url) == {"one"}
    with pytest.raises(DeployError, match="not possible on the local target"):
        actions.scale("orders-api", "dev", {"replicas": 3})


def test_a_rollback_to_a_version_that_fails_its_gate_leaves_traffic_on_the_live_one(
    tmp_path: Path, release_target: LocalReleaseTarget
) -> None:
    # Given "one" then "two" released, and "one" now failing readiness (its flag file appeared)
    flag = tmp_path / "one-is-broken"
    repo, (one, two) = make_repo(tmp_path / "git", app("one", broken_when=flag), app("two"))
    release_target.deploy(request(repo, one, 1, "rolling"))
    second = release_target.deploy(request(repo, two, 2, "rolling"))
    flag.write_text("broken")

    # When the line is rolled back
    with pytest.raises(GateFailedError) as stopped:
        LocalActions(release_target).rollback("orders-api", "dev", {})

    # Then the rollback's step failed its gate, "one" was stopped, and "two" kept all traffic
    assert f"rolling step 1 (100% of traffic) of {one[:12]} failed its SLO gate" in str(stopped.value)
    assert f"traffic is back on {two[:12]}" in str(stopped.value)
    line = release_target.line("orders-api", "dev")
    assert line is not None
    assert line.proxy.split.weights() == {two[:12]: 100}
    assert releases_answering(second.url) == {"two"}
