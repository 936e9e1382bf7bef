"""When the monitor reads the ``deployments`` table: when something may have changed, not on every poll.

Observability hears of most changes to the table. A verify task names the deployment it verifies (the
deploy task recorded it before the verify was dispatched); a failed verify, an incident the monitor
raised or a probe that fails means remediation may act (a rollback or a restart writes new rows). So
the table is read:

- at the first poll (what already runs when the worker starts);
- at the poll after a verify task of a deployment not known yet, which the verify starts at once
  (``wait`` returns) so that a new deployment is watched from its verification on;
- at every poll for ``expect_seconds`` after a failed verify, an incident or a failed probe;
- never for a deployment a ``deployment.completed`` described (every deploy, a deploy-only workflow's
  too: the ``observability-deployments`` rule brings them to the worker's queue): the event carries what
  the monitor needs, and the poll that follows it watches the new deployment;
- otherwise once per ``refresh_seconds``, for what no event announced (a remediation's rollback).

In between, the monitor goes on probing the deployments it knows (HTTP to the services, no AWS call), so
a quiet platform makes no AWS call per poll.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

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

    def announced(self, deployment_id: str | None = None) -> None:
        """A verify task named a deployment: poll now, and read the table first unless the deployment is
        already known (its ``deployment.completed`` came first, as it usually does)."""
        with self._lock:
            known = self._rows is not None and any(r.deployment_id == deployment_id for r in self._rows)
            self._due = self._due or not known
        self._woken.set()

    def learned(self, row: DeploymentRow) -> None:
        """A ``deployment.completed`` described a deployment: watch it from the next poll, which is now,
        without reading the table for it (before the first read, that read finds it)."""
        with self._lock:
            if self._rows is not None:
                self._rows = [r for r in self._rows if r.deployment_id != row.deployment_id] + [row]
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
    """The worker's queue handler: a ``deployment.completed`` only tells the monitor what to watch;
    everything else (its verify tasks) goes to ``handle``."""

    def route(envelope: Envelope) -> None:
        if isinstance(envelope.detail, DeploymentCompleted):
            watch.learned(deployment_row(envelope.detail))
            return
        handle(envelope)

    return route


def deployment_row(completed: DeploymentCompleted) -> DeploymentRow:
    """The row the deployment recorded before it announced itself, as far as the monitor reads rows."""
    out = completed.outputs
    return DeploymentRow(
        deployment_id=out.deployment_id,
        timestamp=datetime.now(UTC),
        workflow_id=completed.workflow_id,
        service=out.service_name,
        environment=out.environment,
        version=out.version,
        status=out.status,
        url=out.url,
    )
