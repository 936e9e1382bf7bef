"""When the sweep next reads its due index: the earliest time something it knows of falls due.

It knows each workflow's due time from its last read of the index and from what this process wrote since
(a later write replaces a workflow's time, or removes it when nothing of that workflow is due any more).
Otherwise it reads once the idle horizon passes: what other processes wrote is found then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class DueTimes:
    _due: dict[str, datetime] = field(default_factory=dict)
    _horizon: datetime | None = None  # None until the first read: read at once

    def note(self, workflow_id: str, due_at: datetime | None) -> None:
        """This process wrote the workflow: its due time is now ``due_at`` (None: nothing due)."""
        if due_at is None:
            self._due.pop(workflow_id, None)
        else:
            self._due[workflow_id] = due_at

    def read(self, now: datetime, due: list[tuple[str, datetime]], horizon: datetime, complete: bool) -> None:
        """What a read of the index found up to ``horizon`` (``complete``: all of it, not one page)."""
        self._due = {workflow_id: at for workflow_id, at in due if at > now}
        self._horizon = horizon if complete else now

    def next_look(self) -> datetime | None:
        if self._horizon is None:
            return None
        return min([*self._due.values(), self._horizon])
