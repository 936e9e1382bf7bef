"""Rendering a workflow's task DAG with elapsed time against the estimate, and following it live."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
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


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _seconds(value: str | None) -> int | None:
    return int(value.rstrip("s")) if value and value.rstrip("s").isdigit() else None


def clock(seconds: float) -> str:
    whole = max(int(seconds), 0)
    if whole >= 3600:
        return f"{whole // 3600}h{whole % 3600 // 60:02d}m"
    return f"{whole // 60}m{whole % 60:02d}s" if whole >= 60 else f"{whole}s"


def estimate(tasks: list[dict[str, Any]]) -> int | None:
    """The DAG's critical path: the longest chain of estimated task durations (None without estimates)."""
    by_id = {t["taskId"]: t for t in tasks}
    if not any(_seconds(t.get("estimatedDuration")) for t in tasks):
        return None
    memo: dict[str, int] = {}

    def finish(task_id: str, seen: frozenset[str]) -> int:
        if task_id not in memo:
            task = by_id.get(task_id)
            if task is None or task_id in seen:
                return 0
            before = [finish(d, seen | {task_id}) for d in task.get("dependsOn", [])]
            memo[task_id] = max(before, default=0) + (_seconds(task.get("estimatedDuration")) or 0)
        return memo[task_id]

    return max(finish(t, frozenset()) for t in by_id)


def elapsed_line(workflow: dict[str, Any], now: datetime) -> str | None:
    started = _at(workflow.get("createdAt"))
    if started is None:
        return None
    ended = _at(workflow.get("completedAt")) if workflow["status"] in TERMINAL else None
    spent = ((ended or now) - started).total_seconds()
    expected = estimate(workflow.get("tasks", []))
    against = f" of ~{clock(expected)} estimated" if expected else ""
    late = " (over the estimate)" if expected and spent > expected and not ended else ""
    return f"  elapsed {clock(spent)}{against}{late}"


def _task_time(task: dict[str, Any], now: datetime) -> str:
    started, finished = _at(task.get("startedAt")), _at(task.get("finishedAt"))
    expected = _seconds(task.get("estimatedDuration"))
    of = f" / ~{clock(expected)}" if expected else ""
    if started and finished:
        return f"  {clock((finished - started).total_seconds())}{of}"
    if started and task["status"] == "running":
        return f"  {clock((now - started).total_seconds())}{of}"
    return f"  ~{clock(expected)}" if expected and task["status"] in {"pending", "ready"} else ""


def render(workflow: dict[str, Any], now: datetime | None = None, times: bool = True) -> list[str]:
    """The workflow as lines; ``times=False`` leaves out every duration (what changes by itself)."""
    now = now or datetime.now(UTC)
    lines = [
        f"workflow {workflow['workflowId']}  {workflow['status']}  "
        f"({workflow.get('template')}: {workflow.get('serviceName')})"
    ]
    if times and (elapsed := elapsed_line(workflow, now)):
        lines.append(elapsed)
    for task in workflow["tasks"]:
        after = f"  after {', '.join(task['dependsOn'])}" if task["dependsOn"] else ""
        attempt = f"  attempt {task['attempt']}/{task['maxAttempts']}" if task["attempt"] else ""
        lines.append(
            f"  {ICONS.get(task['status'], '?')} {task['taskId']:<10} {task['agent']:<14} "
            f"{task['status']:<10}{_task_time(task, now) if times else ''}{attempt}{after}"
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
    out: IO[str] | None = None,
    interval: float = 0.5,
    timeout: float = 900.0,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Poll until the workflow ends: on a terminal redraw in place (the clock ticks); otherwise print the
    workflow again each time a status changes, and once more at the end."""
    out = out or sys.stdout
    live = out.isatty()
    drawn = 0
    last: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        workflow = fetch()
        lines = render(workflow)
        key = lines if live else render(workflow, times=False)
        if key != last:
            if live and drawn:
                out.write(f"\x1b[{drawn}F\x1b[J")
            out.write("\n".join(lines) + "\n")
            out.flush()
            drawn, last = len(lines), key
        if workflow["status"] in TERMINAL:
            return workflow
        if time.monotonic() > deadline:
            out.write(
                f"still {workflow['status']} after {timeout:.0f}s; follow it with "
                f"`agentic workflow watch {workflow['workflowId']}`\n"
            )
            return workflow
        sleep(interval)
