"""Only the current attempt of a codegen task may change anything outside (artifact, push, MR).

Checked twice against the workflows state: when the message arrives (a late redelivery does no work
at all) and again just before the first side effect (the planner may have timed the attempt out while
it rendered). A stale attempt is dropped: logged and acknowledged, no result event, no dead letter.
A task the planner never created is refused: it fails, and is dead-lettered with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from agentic_common.events import Envelope
from agentic_common.events.tasks import TaskCreated
from agentic_common.state.currency import Currency, TaskReader, check_attempt

log = logging.getLogger(__name__)


class StaleAttemptError(Exception):
    """This attempt is no longer the task's current one: it must change nothing."""


class UnknownTaskError(RuntimeError):
    """No workflow of the planner has this task: the message is refused (and dead-lettered)."""


def ensure_current(tasks: TaskReader, task: TaskCreated) -> None:
    verdict = check_attempt(tasks, task.workflow_id, task.task_id, task.attempt)
    if verdict.currency is Currency.UNKNOWN:
        raise UnknownTaskError(f"refused: {verdict.reason}; codegen runs only tasks the planner dispatched")
    if verdict.currency is Currency.STALE:
        raise StaleAttemptError(verdict.reason)


def current_attempts_only(
    handle: Callable[[Envelope], None], tasks: TaskReader
) -> Callable[[Envelope], None]:
    """Wrap the agent's handler: check the attempt first, and drop it if it is (or becomes) stale."""

    def guarded(envelope: Envelope) -> None:
        task = envelope.detail
        try:
            if isinstance(task, TaskCreated) and task.agent == "codegen":
                ensure_current(tasks, task)
            handle(envelope)
        except StaleAttemptError as exc:
            log.warning("dropped a stale codegen attempt, nothing was changed: %s", exc)

    return guarded
