"""When does a workflow next need the sweep? The earliest of: an outbox left unpublished (after a
grace, since the writer publishes it at once), a running attempt's deadline, a retry's ``not_before``.

An attempt's deadline (``attempt_deadline``) counts its timeout from when its agent began it (its
``task.started``, recorded as ``agent_started_at``): the time it waited in its agent's queue is not
the agent's. Until the agent reports a start, the attempt has ``QUEUE_WAIT`` more, so a message that
was lost (or an agent that never came) is still noticed.

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
QUEUE_WAIT = timedelta(minutes=10)  # how long a dispatched attempt may wait for its agent to start it


def attempt_deadline(task: TaskRecord) -> datetime | None:
    """When a running attempt is overdue: its timeout from its agent's start, or, not started yet,
    from its dispatch plus ``QUEUE_WAIT``. None for a task not running."""
    if task.status != TaskStatus.RUNNING or task.started_at is None:
        return None
    timeout = timedelta(seconds=task.timeout_seconds)
    if task.agent_started_at is not None:
        return task.agent_started_at + timeout
    return task.started_at + QUEUE_WAIT + timeout


def next_due(workflow: WorkflowRecord, tasks: Iterable[TaskRecord], now: datetime) -> datetime | None:
    """The next time the sweep has something to do for this workflow, or None."""
    times: list[datetime] = []
    if workflow.outbox:
        times.append(now + OUTBOX_GRACE)
    if workflow.status == WorkflowStatus.IN_PROGRESS:
        for task in tasks:
            if (deadline := attempt_deadline(task)) is not None:
                times.append(deadline + TIMEOUT_MARGIN)
            elif task.status == TaskStatus.READY:
                times.append(task.not_before or now)
    return min(times, default=None)


def sortable(moment: datetime) -> str:
    """A UTC time as a fixed-width string whose text order is time order (the index sort key)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
