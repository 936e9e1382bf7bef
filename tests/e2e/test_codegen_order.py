"""Two workflows that change one service generate one after the other (decision 0018), on the whole stack.

Three are created at once; codegen runs up to four tasks side by side locally (once its first invocation,
the cold start, is done), so without the pipe that groups codegen's tasks by service their generation
overlapped. When codegen worked on a workflow: from the moment it claimed the task (its `task.started`,
the task's `agentStartedAt`) to its log line "handled task.created ..." for that workflow.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.slow

# staging blocks an unpinned base image: each workflow ends at its policy check, nothing deploys
PARAMS = {
    "serviceName": "ordered-api",
    "language": "python",
    "environment": "staging",
    "baseImage": "python:latest",
}


def codegen_window(log: Path, workflow: dict[str, Any]) -> tuple[datetime, datetime]:
    """When codegen began the workflow's task (its own clock) and when it logged that it was done."""
    [task] = [t for t in workflow["tasks"] if t["taskId"] == "codegen"]
    ends = []
    for line in log.read_text().splitlines():
        entry = json.loads(line) if line.startswith("{") else {}
        if entry.get("workflow_id") == workflow["workflowId"] and "handled task.created" in entry["message"]:
            ends.append(datetime.fromisoformat(entry["timestamp"]))
    assert len(ends) == 1, f"codegen handled the task of {workflow['workflowId']} {len(ends)} times"
    return datetime.fromisoformat(task["agentStartedAt"]), ends[0]


def test_workflows_of_one_service_generate_one_after_the_other(stack: RunningStack) -> None:
    # Given three workflows for the same service, created together
    workflows = [stack.create(PARAMS)["workflowId"] for _ in range(3)]
    assert len(set(workflows)) == 3
    # When all have ended
    ended = [stack.wait_for_end(w) for w in workflows]
    assert all(
        next(t for t in w["tasks"] if t["taskId"] == "codegen")["status"] == "succeeded" for w in ended
    ), ended
    # Then codegen worked on them one at a time: each one's log lines all come before the next one's
    windows = sorted(codegen_window(stack.home / "logs" / "codegen.log", w) for w in ended)
    for earlier, later in itertools.pairwise(windows):
        assert earlier[1] <= later[0], f"codegen worked on two at once: {windows}"
