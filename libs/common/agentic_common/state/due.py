"""When does a workflow next need the sweep? The earliest of: an outbox left unpublished (after a
grace, since the writer publishes it at once), a running attempt's timeout, a retry's ``not_before``.

The stores keep this time in a sparse index (``due-index``), so the sweep reads only workflows that
are due, and nothing at all when none is. A workflow that is finished, or waits for a person (an
approval), is due for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from agentic_common.state.models import TaskRecord, TaskStatus, WorkflowRecord, WorkflowStatus

OUTBOX_GRACE = timedelta(seconds=10)
TIMEOUT_MARGIN = timedelta(seconds=1)  # the engine fails an attempt strictly after its timeout


def next_due(workflow: WorkflowRecord, tasks: Iterable[TaskRecord], now: datetime) -> datetime | None:
    """The next time the sweep has something to do for this workflow, or None."""
    times: list[datetime] = []
    if workflow.outbox:
        times.append(now + OUTBOX_GRACE)
    if workflow.status == WorkflowStatus.IN_PROGRESS:
        for task in tasks:
            if task.status == TaskStatus.RUNNING and task.started_at is not None:
                times.append(task.started_at + timedelta(seconds=task.timeout_seconds) + TIMEOUT_MARGIN)
            elif task.status == TaskStatus.READY:
                times.append(task.not_before or now)
    return min(times, default=None)


def sortable(moment: datetime) -> str:
    """A UTC time as a fixed-width string whose text order is time order (the index sort key)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
