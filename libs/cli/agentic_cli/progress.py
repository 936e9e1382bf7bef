"""Rendering a workflow's task DAG, and following it live until it ends."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO, Any

ICONS = {
    "pending": "·",
    "ready": "↻",
    "running": "▶",
    "succeeded": "✔",
    "failed": "✖",
    "skipped": "↷",
    "cancelled": "✖",
}
TERMINAL = {"completed", "failed", "cancelled"}


def render(workflow: dict[str, Any]) -> list[str]:
    lines = [
        f"workflow {workflow['workflowId']}  {workflow['status']}  "
        f"({workflow.get('template')}: {workflow.get('serviceName')})"
    ]
    for task in workflow["tasks"]:
        after = f"  after {', '.join(task['dependsOn'])}" if task["dependsOn"] else ""
        attempt = f"  attempt {task['attempt']}/{task['maxAttempts']}" if task["attempt"] else ""
        lines.append(
            f"  {ICONS.get(task['status'], '?')} {task['taskId']:<10} {task['agent']:<14} "
            f"{task['status']:<10}{attempt}{after}"
        )
        if task.get("error") and task["status"] in {"failed", "ready"}:
            lines.append(f"      {task['error'][:300]}")
    if workflow.get("reason"):
        lines.append(f"  reason: {workflow['reason']}")
    for name, link in (workflow.get("links") or {}).items():
        lines.append(f"  {name}: {link}")
    for rec in workflow.get("remediations", []):
        lines.append(f"  recommendation ({rec['tier']}, {rec['playbook']}): {rec['summary'][:300]}")
    return lines


def follow(
    fetch: Callable[[], dict[str, Any]],
    out: IO[str] = sys.stdout,
    interval: float = 0.5,
    timeout: float = 900.0,
) -> dict[str, Any]:
    """Poll until the workflow ends; redraw in place on a terminal, print changes otherwise."""
    live = out.isatty()
    drawn = 0
    last: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        workflow = fetch()
        lines = render(workflow)
        if lines != last:
            if live and drawn:
                out.write(f"\x1b[{drawn}F\x1b[J")
            out.write("\n".join(lines) + "\n")
            out.flush()
            drawn, last = len(lines), lines
        if workflow["status"] in TERMINAL:
            return workflow
        if time.monotonic() > deadline:
            out.write(
                f"still {workflow['status']} after {timeout:.0f}s; follow it with `agentic workflow get`\n"
            )
            return workflow
        time.sleep(interval)
