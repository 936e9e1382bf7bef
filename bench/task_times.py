"""Where a workflow's time goes, per task: waiting in its agent's queue vs the agent's own work.

From ``GET /workflows/{id}``: ``startedAt`` is the dispatch, ``agentStartedAt`` the agent's
``task.started``, ``finishedAt`` the result the planner recorded. A task whose agent never reported a
start counts its whole span as its own (as before ``task.started`` existed).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime
from typing import Any


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def split(task: dict[str, Any]) -> tuple[float, float] | None:
    """(queue wait, own duration) in seconds of one task, or None if it did not run to an end."""
    dispatched, finished = task.get("startedAt"), task.get("finishedAt")
    if not dispatched or not finished:
        return None
    began = task.get("agentStartedAt") or dispatched
    return (_at(began) - _at(dispatched)).total_seconds(), (_at(finished) - _at(began)).total_seconds()


def breakdown(workflows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per task id: the median queue wait and own duration over ``workflows``, and how many ran."""
    spans: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for workflow in workflows:
        for task in workflow.get("tasks", []):
            if (parts := split(task)) is not None:
                spans[task["taskId"]].append(parts)
    return {
        task_id: {
            "queue_wait_p50_s": statistics.median(p[0] for p in parts),
            "own_p50_s": statistics.median(p[1] for p in parts),
            "queue_wait_max_s": max(p[0] for p in parts),
            "own_max_s": max(p[1] for p in parts),
            "runs": len(parts),
        }
        for task_id, parts in spans.items()
    }


def print_breakdown(title: str, figures: dict[str, dict[str, float]]) -> None:
    print(f"  {title}: per task, queue wait (dispatch → agent's start) vs own time (start → result)")
    for task_id, f in figures.items():
        print(
            f"    {task_id:<10} wait p50 {f['queue_wait_p50_s']:6.2f}s max {f['queue_wait_max_s']:6.2f}s   "
            f"own p50 {f['own_p50_s']:6.2f}s max {f['own_max_s']:6.2f}s   (n={int(f['runs'])})"
        )
