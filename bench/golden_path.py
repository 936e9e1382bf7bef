"""Golden-path benchmark: the time of one ``POST /workflows`` to completion, per language, on the local stack.

Starts the whole stack as ``make up`` does (in this process), then per language (python, node, go) runs
``RUNS`` workflows one after another (REST, no database, dev) and prints, per language, the p50 of:
the workflow's time (created to completed, from its record), the sum of its tasks' own durations (each
task started to finished, as bench/core.py sums them) and their ratio (1.0 would mean no time between
tasks). A task's span is from its dispatch, so its queue wait counts in it; the split (queue wait vs the
agent's own time, from its ``task.started``) is printed per task (``task_times``), and the deploy
step's own figure (measured by the deployment agent) beside each run. Every run is printed; a first
Go run fills the Go build cache. Nothing asserts.

    uv run --frozen python bench/golden_path.py [runs per language, default 3]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from agentic_local.auth import issue_token
from core import _task_seconds as task_seconds
from recovery import ENDED, TEMPLATE
from recovery import _start as start_stack
from task_times import breakdown, print_breakdown

LANGUAGES = ("python", "node", "go")
WAIT_SECONDS = 1800


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _seconds(start: str, end: str) -> float:
    return (_at(end) - _at(start)).total_seconds()


def _run(client: httpx.Client, language: str) -> dict[str, Any]:
    name = f"gp-{language}-{uuid.uuid4().hex[:6]}"
    parameters = {"serviceName": name, "language": language, "database": "none", "environment": "dev"}
    response = client.post("/workflows", json={"template": TEMPLATE, "parameters": parameters})
    response.raise_for_status()
    workflow_id = response.json()["workflowId"]
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        workflow = dict(client.get(f"/workflows/{workflow_id}").json())
        if workflow["status"] in ENDED:
            return workflow
        time.sleep(0.5)
    raise TimeoutError(f"{language} workflow {workflow_id} did not end within {WAIT_SECONDS} s")


def _figures(workflow: dict[str, Any]) -> tuple[float, float]:
    """(the workflow's own time, the sum of its tasks' durations), from its record."""
    total = _seconds(workflow["createdAt"], workflow.get("completedAt") or workflow.get("updatedAt"))
    return total, task_seconds(workflow)


def main(runs: int = 3) -> None:
    print(f"== golden path per language (REST, no database, dev): p50 of {runs} runs, one at a time")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        stack, stop, supervisor = start_stack(home)
        try:
            headers = {"Authorization": f"Bearer {issue_token(home)}"}
            client = httpx.Client(base_url=stack.api_url, timeout=30, headers=headers)
            for language in LANGUAGES:
                figures, ended = [], []
                for run in range(1, runs + 1):
                    workflow = _run(client, language)
                    total, tasks = _figures(workflow)
                    ended.append(workflow)
                    status = workflow["status"]
                    reason = f" ({str(workflow.get('reason'))[:120]})" if status != "completed" else ""
                    deploy = (
                        next(t for t in workflow["tasks"] if t["taskId"] == "deploy").get("outputs") or {}
                    )
                    print(
                        f"  {language:<6} run {run}: {status}{reason} in {total:6.1f} s, tasks {tasks:6.1f} s"
                        f" (the deploy agent's own {deploy.get('duration_seconds', 0):.1f} s)"
                    )
                    if status == "completed":
                        figures.append((total, tasks))
                print_breakdown(language, breakdown(ended))
                if not figures:
                    print(f"  {language:<6} no run completed: no figure")
                    continue
                p50_total = statistics.median(f[0] for f in figures)
                p50_tasks = statistics.median(f[1] for f in figures)
                print(
                    f"  {language:<6} p50 {p50_total:6.1f} s the workflow, {p50_tasks:6.1f} s its tasks:"
                    f" ratio {p50_total / p50_tasks:4.2f} ({len(figures)} completed of {runs})"
                )
        finally:
            stop.set()
            supervisor.join(timeout=5)
            stack.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
