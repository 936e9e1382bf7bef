"""When the monitor reads the ``deployments`` table: when something may have changed, not on every poll.

Observability hears of most changes to the table. A verify task names the deployment it verifies (the
deploy task recorded it before the verify was dispatched); a failed verify, an incident the monitor
raised or a probe that fails means remediation may act (a rollback or a restart writes new rows). So
the table is read:

- at the first poll (what already runs when the worker starts);
- at the poll after a verify task, which the verify starts at once (``wait`` returns) so that a new
  deployment is watched from its verification on and its reads belong to its workflow;
- at every poll for ``expect_seconds`` after a failed verify, an incident or a failed probe;
- at the poll after a ``deployment.completed`` (every deploy, a deploy-only workflow's too: the
  ``observability-deployments`` rule brings them to the worker's queue, ``heeding_deployments``);
- otherwise once per ``refresh_seconds``, for what no event announced (a remediation's rollback).

In between, the monitor goes on probing the deployments it knows (HTTP to the services, no AWS call), so
a quiet platform makes no AWS call per poll.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from agentic_common.events import Envelope
from agentic_common.events.deployment import DeploymentCompleted

from agentic_observability.ports import DeploymentRow, DeploymentsReader, WorkflowRow


@dataclass
class DeploymentWatch:
    reader: DeploymentsReader
    refresh_seconds: float = 300.0
    expect_seconds: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _rows: list[DeploymentRow] | None = None
    _read_at: float = 0.0
    _due: bool = False
    _expect_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _woken: threading.Event = field(default_factory=threading.Event)

    def announced(self) -> None:
        """A verify task named a deployment: read the table at the next poll, and poll now."""
        with self._lock:
            self._due = True
        self._woken.set()

    def wait(self, seconds: float) -> None:
        """The monitor's pause between polls: ``seconds``, or until a verify announces a deployment."""
        self._woken.wait(seconds)
        self._woken.clear()

    def wake(self) -> None:
        """End the current pause (the worker is stopping)."""
        self._woken.set()

    def expect_changes(self) -> None:
        """Remediation may act: read the table at every poll for ``expect_seconds``."""
        with self._lock:
            self._due = True
            self._expect_until = max(self._expect_until, self.clock() + self.expect_seconds)

    def deployments(self) -> list[DeploymentRow]:
        now = self.clock()
        with self._lock:
            stale = self._rows is None or now - self._read_at >= self.refresh_seconds
            due, self._due = self._due or stale or now < self._expect_until, False
            if not due:
                return list(self._rows or [])
        try:
            rows = self.reader.deployments()
        except Exception:
            with self._lock:
                self._due = True  # the read failed: the next poll reads again
            raise
        with self._lock:
            self._rows, self._read_at = rows, now
        return list(rows)

    def workflows(self) -> list[WorkflowRow]:
        return self.reader.workflows()


def heeding_deployments(
    watch: DeploymentWatch, handle: Callable[[Envelope], None]
) -> Callable[[Envelope], None]:
    """The worker's queue handler: a ``deployment.completed`` only tells the monitor to read the table;
    everything else (its verify tasks) goes to ``handle``."""

    def route(envelope: Envelope) -> None:
        if isinstance(envelope.detail, DeploymentCompleted):
            watch.announced()
            return
        handle(envelope)

    return route
