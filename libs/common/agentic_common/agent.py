"""The task protocol every agent follows: check the attempt, claim it, report its start, do the work,
report the result. The start (``task.started``) is when the attempt's timeout begins to count.

An agent's logic is a function ``work(task) -> BaseModel`` (its outputs model). It raises
``TaskError`` for a failure it understands (with ``retryable`` and evidence); any other exception
is an unexpected fault: the claim is released and the message is redelivered (then dead-lettered).

Only tasks the planner dispatched run, and only their current attempt: the agent reads the task from
the planner's workflows state first (``tasks``). A task of a workflow the planner never created (or
given to another agent) is refused: dead-lettered at once with the reason, nothing runs. A stale
attempt (the planner timed it out, or retried it) is dropped: logged, acknowledged, nothing reported.
``work`` may call ``ensure_current`` again just before its first side effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from agentic_common.bus import EventPublisher
from agentic_common.consumer import RefusedError
from agentic_common.events import Envelope, EventDetail
from agentic_common.events.tasks import TaskCompleted, TaskCreated, TaskFailed, TaskStarted
from agentic_common.idempotency import ClaimStore, once
from agentic_common.redact import redact
from agentic_common.state.currency import Currency, TaskReader, check_attempt

log = logging.getLogger(__name__)


class TaskError(Exception):
    """A failure the agent understands: reported as ``task.failed`` with a readable message."""

    def __init__(self, message: str, *, retryable: bool, evidence: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.evidence = evidence or {}


class StaleAttemptError(Exception):
    """This attempt is no longer the task's current one: it must change nothing."""


class UnknownTaskError(RefusedError):
    """No workflow of the planner has this task for this agent: the message is refused (dead-lettered)."""


def ensure_current(tasks: TaskReader, task: TaskCreated) -> None:
    """Raise unless ``task`` is the attempt the planner is running now, for this agent."""
    verdict = check_attempt(tasks, task.workflow_id, task.task_id, task.attempt, task.agent)
    if verdict.currency is Currency.UNKNOWN:
        raise UnknownTaskError(f"{verdict.reason}; {task.agent} runs only tasks the planner dispatched")
    if verdict.currency is Currency.STALE:
        raise StaleAttemptError(verdict.reason)


@dataclass(frozen=True)
class WorkResult:
    """What ``work`` returns: the outputs plus any domain events to publish alongside task.completed."""

    outputs: BaseModel
    events: Sequence[EventDetail] = field(default_factory=tuple)


Work = Callable[[TaskCreated], WorkResult]
FailureEvents = Callable[[TaskCreated, TaskError], Sequence[EventDetail]]


def claim_key(task: TaskCreated) -> str:
    """``task#<agent>#<workflow>#<task>#<attempt>``, each part with ``#`` escaped, so no two differ
    only in where a part ends. Claims written before the agent was in the key
    (``task#<workflow>#<task>#<attempt>``) are never read again: they expire with their TTL."""
    parts = (task.agent, task.workflow_id, task.task_id, str(task.attempt))
    return "task#" + "#".join(quote(part, safe="") for part in parts)


@dataclass(frozen=True)
class TaskAgent:
    agent: str
    work: Work
    publisher: EventPublisher
    claims: ClaimStore
    failure_events: FailureEvents = lambda _t, _e: ()
    tasks: TaskReader | None = None  # the planner's workflows state; None only in tests of ``work``
    starts: EventPublisher | None = None  # where task.started goes (the bus); None only in tests of ``work``

    def handle(self, envelope: Envelope) -> None:
        task = envelope.detail
        if not isinstance(task, TaskCreated) or task.agent != self.agent:
            log.info("ignoring %s not meant for %s", envelope.detail_type, self.agent)
            return
        try:
            if self.tasks is not None:
                ensure_current(self.tasks, task)  # UnknownTaskError: refused, dead-lettered by the consumer
            self._claim_and_run(task)
        except StaleAttemptError as exc:
            log.warning("dropped a stale %s attempt, nothing was changed: %s", self.agent, exc)

    def _claim_and_run(self, task: TaskCreated) -> None:
        with once(self.claims, claim_key(task), lease_seconds=task.timeout_seconds) as owned:
            if not owned:
                log.info("duplicate delivery of %s attempt %d: already handled", task.task_id, task.attempt)
                return
            self._report_start(task)
            self.publisher.publish(*self._run(task))

    def _report_start(self, task: TaskCreated) -> None:
        """``task.started``: the planner counts the attempt's timeout from now, not from its dispatch.
        Not reported (the bus failing), the attempt keeps its longer bound for waiting in the queue."""
        if self.starts is None:
            return
        started = TaskStarted(
            workflow_id=task.workflow_id, task_id=task.task_id, agent=task.agent, attempt=task.attempt
        )
        try:
            self.starts.publish(started)
        except Exception:
            log.warning("could not report the start of %s/%s", task.workflow_id, task.task_id, exc_info=True)

    def _run(self, task: TaskCreated) -> list[EventDetail]:
        base = {
            "workflow_id": task.workflow_id,
            "task_id": task.task_id,
            "agent": task.agent,
            "attempt": task.attempt,
        }
        try:
            result = self.work(task)
        except TaskError as exc:
            log.warning("task %s/%s failed: %s", task.workflow_id, task.task_id, exc)
            failed = TaskFailed(
                **base, error=redact(str(exc)), retryable=exc.retryable, evidence=exc.evidence
            )
            return [*self.failure_events(task, exc), failed]
        completed = TaskCompleted(**base, outputs=result.outputs.model_dump(mode="json"))
        return [*result.events, completed]
