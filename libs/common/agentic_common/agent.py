"""The task protocol every agent follows: claim the attempt, do the work, report the result.

An agent's logic is a function ``work(task) -> BaseModel`` (its outputs model). It raises
``TaskError`` for a failure it understands (with ``retryable`` and evidence); any other exception
is an unexpected fault: the claim is released and the message is redelivered (then dead-lettered).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from agentic_common.bus import EventPublisher
from agentic_common.events import Envelope, EventDetail
from agentic_common.events.tasks import TaskCompleted, TaskCreated, TaskFailed
from agentic_common.idempotency import ClaimStore
from agentic_common.redact import redact

log = logging.getLogger(__name__)


class TaskError(Exception):
    """A failure the agent understands: reported as ``task.failed`` with a readable message."""

    def __init__(self, message: str, *, retryable: bool, evidence: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.evidence = evidence or {}


@dataclass(frozen=True)
class WorkResult:
    """What ``work`` returns: the outputs plus any domain events to publish alongside task.completed."""

    outputs: BaseModel
    events: Sequence[EventDetail] = field(default_factory=tuple)


Work = Callable[[TaskCreated], WorkResult]


def claim_key(task: TaskCreated) -> str:
    return f"task#{task.workflow_id}#{task.task_id}#{task.attempt}"


@dataclass(frozen=True)
class TaskAgent:
    agent: str
    work: Work
    publisher: EventPublisher
    claims: ClaimStore
    failure_events: Callable[[TaskCreated, TaskError], Sequence[EventDetail]] = lambda _t, _e: ()

    def handle(self, envelope: Envelope) -> None:
        task = envelope.detail
        if not isinstance(task, TaskCreated) or task.agent != self.agent:
            log.info("ignoring %s not meant for %s", envelope.detail_type, self.agent)
            return
        key = claim_key(task)
        if not self.claims.claim(key, lease_seconds=task.timeout_seconds):
            log.info("duplicate delivery of %s attempt %d: already handled", task.task_id, task.attempt)
            return
        try:
            result = self._run(task)
        except Exception:
            self.claims.release(key)
            raise
        self.publisher.publish(*result)
        self.claims.complete(key)

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
