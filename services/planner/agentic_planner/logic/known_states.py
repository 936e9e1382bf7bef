"""The workflows this process last committed, so the next event for one does not read it back first.

A remembered state is only ever a starting point, never an answer: every commit is conditional on the
versions it read, and every transition writes the workflow record (``Engine.seal``), so a commit made
from a state someone else has since changed fails (``ConflictError``) and is made again from a fresh,
consistent load. A transition that changes nothing is not trusted either: it is checked against the
stored state (a stale state could take a current event for a stale one). What this saves is the
consistent read of each event's workflow when this process wrote it last, as one planner process does
for most of a workflow's events; in AWS, an event landing in another execution environment reads as
before, and one whose memory is stale pays one refused write before reading. A creation is not
remembered: the API's process that made it seldom applies the workflow's next transition.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from agentic_common.state import WorkflowState

KNOWN_WORKFLOWS = 256  # the most recently committed workflows a process remembers


class KnownStates:
    def __init__(self, capacity: int = KNOWN_WORKFLOWS) -> None:
        self._states: OrderedDict[str, WorkflowState] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()  # invocations of one process run side by side

    def get(self, workflow_id: str) -> WorkflowState | None:
        with self._lock:
            state = self._states.get(workflow_id)
            if state is not None:
                self._states.move_to_end(workflow_id)
            return state

    def remember(self, state: WorkflowState) -> None:
        """``state`` was just committed or read consistently."""
        with self._lock:
            self._states[state.workflow.workflow_id] = state
            self._states.move_to_end(state.workflow.workflow_id)
            while len(self._states) > self._capacity:
                self._states.popitem(last=False)

    def forget(self, workflow_id: str) -> None:
        with self._lock:
            self._states.pop(workflow_id, None)
