"""Deployment benchmark (`make bench-deploy`): the local target, measured; nothing here asserts on time.

For N rounds (BENCH_DEPLOY_N, default 3) on a fresh service line each round, with real git, uv,
uvicorn and the traffic proxy:
1. time to deploy: first version, rolling (clone, install from the uv cache, start, health);
2. time to complete a canary: the next version through 10% → 50% → 100%, each step SLO-gated on
   BENCH_DEPLOY_GATE_REQUESTS probe requests (default 20) measured at the proxy;
3. time to roll back after a failed gate: a version whose /ready answers 500, from the release call
   until it failed step 1 and traffic was back on the previous version.
Prints p50 (and min/max) of each.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from agentic_common.events.observability import Slo
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.local_release import LocalReleaseTarget
from agentic_deployment.adapters.local.python_env import find_uv
from agentic_deployment.logic.release import GateFailedError
from agentic_deployment.ports import DeployRequest, Gate, Strategy

APP = """from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()


@app.get("/health")
def health() -> dict[str, str]:
    return {"release": "RELEASE"}


@app.get("/ready")
def ready() -> JSONResponse:
    return JSONResponse({"release": "RELEASE"}, status_code=STATUS)
"""


def _git(*args: str, cwd: Path) -> str:
    identity = ["-c", "user.name=Bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    return subprocess.run(
        ["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def make_repo(root: Path) -> tuple[str, list[str]]:
    work, bare = root / "work", root / "repo.git"
    (work / "app").mkdir(parents=True)
    _git("init", "--quiet", "--initial-branch=main", cwd=work)
    (work / "requirements.txt").write_text("fastapi==0.115.6\nuvicorn==0.32.1\n")
    (work / "app" / "__init__.py").write_text("")
    shas = []
    for release, status in (("one", 200), ("two", 200), ("bad", 500)):
        (work / "app" / "main.py").write_text(APP.replace("RELEASE", release).replace("STATUS", str(status)))
        _git("add", "--all", cwd=work)
        _git("commit", "--quiet", "-m", release, cwd=work)
        shas.append(_git("rev-parse", "HEAD", cwd=work))
    _git("clone", "--quiet", "--bare", str(work), str(bare), cwd=root)
    return bare.as_uri(), shas


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def one_round(
    target: LocalReleaseTarget, repo: str, shas: list[str], number: int, gate: Gate
) -> tuple[float, ...]:
    def request(commit: str, step: int, strategy: Strategy) -> DeployRequest:
        return DeployRequest(
            deployment_id=f"dep-bench{number:04d}{step:08d}",
            workflow_id=f"wf-bench-{number}",
            service_name=f"bench-{number}",
            environment="dev",
            repo_url=repo,
            commit=commit,
            timeout_seconds=300,
            strategy=strategy,
            gate=gate,
        )

    def failing_release() -> None:
        try:
            target.deploy(request(shas[2], 3, "canary"))
        except GateFailedError:
            return
        raise RuntimeError("the broken version passed its gate: the benchmark's premise is wrong")

    deploy = timed(lambda: target.deploy(request(shas[0], 1, "rolling")))
    canary = timed(lambda: target.deploy(request(shas[1], 2, "canary")))
    rollback = timed(failing_release)
    return deploy, canary, rollback


def main() -> None:
    rounds = int(os.environ.get("BENCH_DEPLOY_N", "3"))
    gate = Gate(
        Slo(
            p95_latency_ms=1000,
            max_error_rate=0.05,
            requests=int(os.environ.get("BENCH_DEPLOY_GATE_REQUESTS", "20")),
        ),
        probe_path="/ready",
    )
    figures: list[tuple[float, ...]] = []
    with tempfile.TemporaryDirectory() as tmp:
        repo, shas = make_repo(Path(tmp) / "git")
        target = LocalReleaseTarget(LocalProcessTarget(home=Path(tmp) / "home", uv=find_uv()))
        try:
            for number in range(rounds):
                figures.append(one_round(target, repo, shas, number, gate))
        finally:
            target.stop_all()
    print(f"== local deploy target, {rounds} round(s), gate = {gate.slo.requests} probe requests per step")
    names = (
        "deploy (rolling, first version)",
        "canary 10→50→100% with gates",
        "rollback after a failed gate",
    )
    for name, values in zip(names, zip(*figures, strict=True), strict=True):
        p50 = statistics.median(values)
        print(f"  {name:<34} p50 {p50:6.2f} s   (min {min(values):.2f}, max {max(values):.2f})")


if __name__ == "__main__":
    main()
