"""Remediation benchmark: time from a service going unhealthy to its automatic recovery (local stack).

Starts the whole stack (monitor polling every ``OBSERVABILITY_MONITOR_INTERVAL_SECONDS``, 1 s here),
deploys one Python service to dev, then repeatedly kills its process and measures, per run:
  detect   kill → the monitor's anomaly (the audit record's time is the anomaly's occurred_at);
  recover  kill → the restarted process answers /health directly and through the public URL.
``recovery_times(runs)`` returns the figures so ``bench/observe.py`` can print them as its section.
Nothing here asserts on time.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from agentic_common.aws import AwsClients
from agentic_common.settings import CommonSettings
from agentic_local.auth import issue_token
from agentic_local.moto_server import free_port
from agentic_local.settings import LocalSettings
from agentic_local.stack import SERVICES, LocalStack
from agentic_remediation.adapters.dynamodb.audit import DynamoDBAuditStore

SERVICE = "recovery-bench-api"
MONITOR_INTERVAL = "1"


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _state(home: Path, deployment_id: str) -> dict[str, Any] | None:
    try:
        return dict(json.loads((home / "deployments" / deployment_id / "state.json").read_text()))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _until(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while (found := check()) is None or found is False:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} after {timeout:.0f}s")
        time.sleep(0.1)
    return found


def _start(home: Path) -> LocalStack:
    os.environ.update(
        AGENTIC_HOME=str(home),
        AGENTIC_API_PORT=str(free_port()),
        AGENTIC_AWS_PORT=str(free_port()),
        AGENTIC_ENV="bench",
        AGENTIC_SWEEP_SECONDS="1",
        OBSERVABILITY_MONITOR_INTERVAL_SECONDS=MONITOR_INTERVAL,
        REMEDIATION_MAX_ACTIONS="100",
    )
    return LocalStack(LocalSettings(), console=open(os.devnull, "w"), services=SERVICES).start()


def _deploy(client: httpx.Client) -> dict[str, Any]:
    body = {
        "template": "microservice-rest-api",
        "parameters": {"serviceName": SERVICE, "language": "python", "environment": "dev"},
    }
    workflow_id = client.post("/workflows", json=body).json()["workflowId"]
    while (workflow := client.get(f"/workflows/{workflow_id}").json())["status"] == "in_progress":
        time.sleep(0.2)
    if workflow["status"] != "completed":
        raise RuntimeError(f"the bench service did not deploy: {workflow.get('reason')}")
    return dict(next(t for t in workflow["tasks"] if t["taskId"] == "deploy")["outputs"])


def _requested_at(store: DynamoDBAuditStore, after: datetime) -> datetime | None:
    """The anomaly time of the first restart requested after ``after``."""
    times = [r.at for r in store.of_service(SERVICE) if r.kind == "action_requested" and r.at >= after]
    return min(times) if times else None


def _one_run(home: Path, store: DynamoDBAuditStore, deployment: dict[str, Any]) -> tuple[float, float]:
    state = _until(lambda: _state(home, deployment["deployment_id"]), 30, "state file")
    _until(lambda: _healthy(deployment["url"]), 60, "healthy service before the kill")
    killed_at, started = datetime.now(UTC), time.perf_counter()
    os.kill(state["pid"], signal.SIGKILL)

    def recovered() -> bool:
        now = _state(home, deployment["deployment_id"])
        restarted = bool(now and now["pid"] != state["pid"])
        return restarted and _healthy(now["url"]) and _healthy(deployment["url"])  # type: ignore[index]

    _until(recovered, 180, "recovery")
    recover = time.perf_counter() - started
    detected = _until(lambda: _requested_at(store, killed_at), 30, "audited restart")
    return (detected - killed_at).total_seconds(), recover


def recovery_times(runs: int = 3) -> dict[str, list[float]]:
    """Per run: seconds from kill to detection, and from kill to recovery."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        stack = _start(home)
        try:
            client = httpx.Client(
                base_url=stack.api_url, timeout=30, headers={"Authorization": f"Bearer {issue_token(home)}"}
            )
            deployment = _deploy(client)
            config = json.loads((home / "stack.json").read_text())
            local = CommonSettings(agentic_env=config["env"], aws_endpoint_url=config["aws_endpoint_url"])
            aws = AwsClients(local)
            store = DynamoDBAuditStore(aws.client("dynamodb"), f"agentic-{config['env']}-remediation-audit")
            figures: dict[str, list[float]] = {"detect": [], "recover": []}
            for run in range(runs):
                detect, recover = _one_run(home, store, deployment)
                figures["detect"].append(detect)
                figures["recover"].append(recover)
                print(f"  run {run + 1}: detected after {detect:.2f}s, recovered after {recover:.2f}s")
                time.sleep(3)  # a healthy poll closes the incident before the next kill
            return figures
        finally:
            stack.stop()


def main(runs: int = 3) -> None:
    print(
        f"== unhealthy → automatic recovery on the local stack (dev, monitor every {MONITOR_INTERVAL}s, "
        f"unhealthy after 2 failed polls), n={runs}"
    )
    figures = recovery_times(runs)
    for name in ("detect", "recover"):
        values = figures[name]
        print(
            f"  {name:<8} median {statistics.median(values):.2f}s  "
            f"min {min(values):.2f}s  max {max(values):.2f}s"
        )


if __name__ == "__main__":
    main()
