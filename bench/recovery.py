"""Recovery benchmark: ``kill -9`` of each service of the local stack with workflows in flight.

Starts the whole stack as ``make up`` does (in this process, supervised by ``LocalStack.wait`` on a
thread: a dead child is restarted), then per service: creates ``WORKFLOWS`` golden-path workflows (python,
dev), waits until one of them has a task of that service's agent running (or, for a service that runs no
task, until they are under way), kills the service's process with SIGKILL and measures the time from the
kill until every one of those workflows has ended. The floor is the same batch with no kill, measured in
the same run after a first warm-up batch; each figure is printed next to it as a ratio. The bound the
issue sets (every in-flight workflow ends within 2x its tasks' timeouts) is printed beside each figure.
Nothing asserts on time.

    uv run --frozen python bench/recovery.py [workflows per round, default 3]
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import threading
import time
import uuid
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
from agentic_local.auth import issue_token
from agentic_local.moto_server import free_port
from agentic_local.settings import LocalSettings
from agentic_local.stack import SERVICES, LocalStack

TEMPLATE = "microservice-rest-api"
# which agent's tasks a service runs (planner-api, planner and remediation run none of a workflow's tasks)
AGENT_OF = {name: name for name in ("codegen", "policy", "deployment", "observability")}
ENDED = {"completed", "failed", "cancelled"}


def _bound_seconds() -> int:
    """2x the sum of the template's task timeouts: the issue's bound for every in-flight workflow."""
    path = resources.files("agentic_planner") / "catalogue" / "templates" / f"{TEMPLATE}.json"
    tasks = json.loads(path.read_text())["tasks"]
    return 2 * sum(int(t["timeout_seconds"]) for t in tasks)


def _start(home: Path) -> tuple[LocalStack, threading.Event, threading.Thread]:
    os.environ.update(
        AGENTIC_HOME=str(home),
        AGENTIC_API_PORT=str(free_port()),
        AGENTIC_AWS_PORT=str(free_port()),
        AGENTIC_ENV="recovery",
        AGENTIC_SWEEP_SECONDS="1",
    )
    stack = LocalStack(LocalSettings(), console=sys.stdout).start()
    stop = threading.Event()
    supervisor = threading.Thread(target=stack.wait, args=(stop,), name="supervisor", daemon=True)
    supervisor.start()
    return stack, stop, supervisor


def _create(client: httpx.Client, count: int, tag: str) -> list[str]:
    ids = []
    for _ in range(count):
        name = f"rec-{tag}-{uuid.uuid4().hex[:6]}"
        body = {
            "template": TEMPLATE,
            "parameters": {"serviceName": name, "language": "python", "environment": "dev"},
        }
        response = client.post("/workflows", json=body)
        response.raise_for_status()
        ids.append(response.json()["workflowId"])
    return ids


def _workflows(client: httpx.Client, ids: list[str]) -> list[dict[str, Any]]:
    """The workflows now; a failed read (the API being restarted) is an empty answer, tried again."""
    try:
        return [client.get(f"/workflows/{i}").json() for i in ids]
    except httpx.HTTPError:
        return []


def _agent_running(client: httpx.Client, ids: list[str], agent: str | None, patience: float) -> bool:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        for workflow in _workflows(client, ids):
            running = [t for t in workflow.get("tasks", []) if t["status"] == "running"]
            if any(agent is None or t["agent"] == agent for t in running):
                return True
        time.sleep(0.1)
    return False


def _until_ended(client: httpx.Client, ids: list[str], bound: float) -> tuple[float, list[dict[str, Any]]]:
    started = time.perf_counter()
    while time.perf_counter() - started < bound:
        workflows = _workflows(client, ids)
        if len(workflows) == len(ids) and all(w.get("status") in ENDED for w in workflows):
            return time.perf_counter() - started, workflows
        time.sleep(0.25)
    return time.perf_counter() - started, _workflows(client, ids)


def _outcome(workflows: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for workflow in workflows:
        counts[workflow.get("status", "?")] = counts.get(workflow.get("status", "?"), 0) + 1
    reasons = {str(w.get("reason"))[:90] for w in workflows if w.get("status") == "failed"}
    text = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    return text + (f" (reasons: {'; '.join(sorted(reasons))})" if reasons else "")


def main(per_round: int = 3) -> None:
    bound = _bound_seconds()
    print(f"== kill -9 of each service with {per_round} golden-path workflows in flight (bound {bound} s)")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        stack, stop, supervisor = _start(home)
        try:
            token = issue_token(home)
            headers = {"Authorization": f"Bearer {token}"}
            client = httpx.Client(base_url=stack.api_url, timeout=30, headers=headers)
            _until_ended(client, _create(client, per_round, "warm"), bound)  # first installs, cold imports
            floor, workflows = _until_ended(client, _create(client, per_round, "floor"), bound)
            print(f"  floor (no kill): all ended in {floor:.1f} s: {_outcome(workflows)}")
            for service in SERVICES:
                ids = _create(client, per_round, service.replace("-", ""))
                agent = AGENT_OF.get(service)
                mid_task = _agent_running(client, ids, agent, patience=120)
                child = stack.children[service]
                os.kill(child.pid, signal.SIGKILL)
                took, workflows = _until_ended(client, ids, bound)
                where = f"{agent} task running" if agent and mid_task else "workflows under way"
                verdict = "within" if took < bound else "NOT within"
                print(
                    f"  {service:<14} killed ({where}): all ended in {took:7.1f} s"
                    f" = {took / floor:5.1f}x floor, {verdict} the bound: {_outcome(workflows)}"
                )
        finally:
            stop.set()
            supervisor.join(timeout=5)
            stack.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
