"""The planner's use cases: create a workflow, react to events, sweep. Ports in, no I/O of its own."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from agentic_common.approvals import ApprovalStatus
from agentic_common.bus import EventPublisher
from agentic_common.events import EVENT_MODELS
from agentic_common.log_context import log_context
from agentic_common.state import ConflictError, StateStore, WorkflowRecord, WorkflowState, WorkflowStatus
from agentic_common.state.due import next_due

from agentic_planner.logic.approval_gate import ApprovalGate
from agentic_planner.logic.catalogue import Catalogue, UnknownTemplateError
from agentic_planner.logic.due_times import DueTimes
from agentic_planner.logic.engine import Engine
from agentic_planner.logic.known_states import KnownStates
from agentic_planner.logic.repositories import RepositoryRules
from agentic_planner.ports import RevisionResolver, ServiceNames

log = logging.getLogger(__name__)
MAX_CONFLICT_RETRIES = 8
DUE_PAGE = 100


@dataclass
class WorkflowService:
    """``gate`` requests the approval of every workflow that waits for one (see ``approval_gate``).

    ``repositories`` are the rules a ``repoUrl`` must meet and ``revisions`` resolves a deploy's
    ``version`` (``logic.repositories``); ``names`` keeps each service name to one service
    (``logic.service_names``). Without them those checks are skipped (unit tests of other rules)."""

    store: StateStore
    publisher: EventPublisher
    catalogue: Catalogue
    clock: Callable[[], datetime]
    gate: ApprovalGate | None = None
    repositories: RepositoryRules | None = None
    revisions: RevisionResolver | None = None
    names: ServiceNames | None = None
    # the longest the sweep goes without reading the due index (AGENTIC_SWEEP_IDLE_SECONDS, decision 0017)
    idle_seconds: float = 60.0
    due_times: DueTimes = field(default_factory=DueTimes, init=False, repr=False)
    _next_approvals: datetime | None = field(default=None, init=False, repr=False)
    _recovered: bool = field(default=False, init=False, repr=False)
    known: KnownStates = field(default_factory=KnownStates, init=False, repr=False)

    def apply(self, workflow_id: str, action: Callable[[Engine], None]) -> WorkflowState | None:
        """Load, flush any pending outbox, apply ``action``, commit conditionally, publish.

        Retries lost races. A workflow left waiting for an approval gets it (``gate``)."""
        for _ in range(MAX_CONFLICT_RETRIES):
            remembered = self.known.get(workflow_id)
            state = remembered or self.store.load(workflow_id)
            if state is None:
                log.warning("event for unknown workflow %s ignored", workflow_id)
                return None
            try:
                state = self._flush_outbox(state)
                engine = Engine(state, self.catalogue.get(state.workflow.template), self.clock())
                action(engine)
                transition = engine.seal()
                if transition.empty:
                    if remembered is not None:  # nothing to do, by memory: check on the stored state
                        self.known.forget(workflow_id)
                        continue
                    self.known.remember(state)
                    return state
                self.store.commit(list(transition.records.values()))
            except ConflictError:
                log.info("workflow %s changed concurrently; re-applying", workflow_id)
                self.known.forget(workflow_id)
                continue
            settled = self.settle(engine.state(state.remediations))
            if settled is not None:  # what an event's next transition starts from (not a creation's:
                self.known.remember(settled)  # the API's process rarely applies the next one)
            return settled
        raise ConflictError(
            f"workflow {workflow_id}: gave up after {MAX_CONFLICT_RETRIES} concurrent changes"
        )

    def settle(self, state: WorkflowState) -> WorkflowState | None:
        """After a commit of ``state``: publish its events, then request an approval if it waits."""
        return self._awaited(self.publish_committed(state))

    def publish_committed(self, state: WorkflowState) -> WorkflowState | None:
        """``state`` is committed; publish its outbox (no reload: we hold what we wrote).

        Publishing may race another writer doing the same. Losing that race is fine (the winner
        published; consumers are idempotent), so it must not turn a committed transition into an error
        for the caller (an API request, an event).
        """
        try:
            flushed = self._flush_outbox(state)
        except ConflictError:
            self.note_due(state.workflow)
            log.info("workflow %s outbox flushed by another writer", state.workflow.workflow_id)
            return self.store.load(state.workflow.workflow_id)
        except Exception:
            self.note_due(state.workflow)  # not published: the sweep publishes it once its grace passes
            raise
        self.note_due(flushed.workflow)  # what is stored now: no look for an outbox this process cleared
        return flushed

    def current(self, workflow_id: str) -> WorkflowState | None:
        """The workflow as this process last committed it, else as stored: for readers whose own writes
        are conditional (a stale state fails them) or who need only what never changes."""
        return self.known.get(workflow_id) or self.store.load(workflow_id)

    def note_due(self, workflow: WorkflowRecord) -> None:
        """This process wrote the workflow: the sweep looks when its due time comes (if it has one)."""
        self.due_times.note(workflow.workflow_id, workflow.due_at)

    def _flush_outbox(self, state: WorkflowState) -> WorkflowState:
        """Publish the events committed with the last transition, then clear them (conditionally)."""
        workflow = state.workflow
        if not workflow.outbox:
            return state
        events = [
            EVENT_MODELS[item["detail_type"]].model_validate(item["detail"]) for item in workflow.outbox
        ]
        self.publisher.publish(*events)
        cleared = workflow.model_copy(update={"outbox": (), "version": workflow.version + 1})
        cleared = cleared.model_copy(update={"due_at": next_due(cleared, state.tasks, self.clock())})
        self.store.commit([cleared])  # a ConflictError here means another writer moved on; it republishes
        return state.model_copy(update={"workflow": cleared})

    def flush_pending(self) -> int:
        flushed = 0
        for workflow_id in self.store.workflows_with_pending_outbox():
            state = self.store.load(workflow_id)
            if state and state.workflow.outbox:
                try:
                    self._flush_outbox(state)
                    flushed += 1
                except ConflictError:
                    continue
        return flushed

    def _awaited(self, state: WorkflowState | None) -> WorkflowState | None:
        """A workflow that waits gets its approval; one whose approval ended fails, one approved runs."""
        if state is None or self.gate is None or state.workflow.status != WorkflowStatus.AWAITING_APPROVAL:
            return state
        outcome = self.gate.ensure(state, self.catalogue.get(state.workflow.template), self.clock())
        if isinstance(outcome, str):
            return self.apply(state.workflow.workflow_id, lambda engine: engine.abort(outcome))
        if outcome is not None and outcome.status is ApprovalStatus.APPROVED:
            return self.apply(state.workflow.workflow_id, lambda engine: engine.approve())
        return state

    def _each(self, status: WorkflowStatus, action: Callable[[str], WorkflowState | None]) -> int:
        """Apply ``action`` to every workflow in ``status``; count those that changed. A workflow whose
        template is no longer in the catalogue is logged and left alone, never stopping the sweep."""
        changed, cursor = 0, None
        while True:
            page = self.store.list_workflows(status, limit=100, cursor=cursor)
            for workflow in page.workflows:
                with log_context(workflow_id=workflow.workflow_id):
                    try:
                        after = action(workflow.workflow_id)
                    except UnknownTemplateError as exc:
                        log.error("sweep skips workflow %s: %s", workflow.workflow_id, exc)
                        continue
                changed += int(after is not None and after.workflow.version != workflow.version)
            if not page.next_cursor:
                return changed
            cursor = page.next_cursor

    def sweep(self) -> dict[str, Any]:
        """Run on a schedule (every second locally): flush stuck outboxes, fail timed-out attempts,
        dispatch due retries, and make sure every waiting workflow has its approval.

        Driven by what is due (``state.due``): the due index is read only when this process knows
        something falls due (``note_due``) or ``idle_seconds`` have passed, so an idle platform makes
        no AWS call per tick (locally, where the sweep runs beside this process's events, one every 10
        minutes; in AWS each scheduled sweep reads once: docs/decisions/0017). The first sweep of a
        process also walks every workflow in progress (those stored before due times existed), and
        waiting workflows are checked once per idle interval (an approval that expired fails its
        workflow)."""
        now = self.clock()
        flushed = changed = 0
        if not self._recovered:
            flushed = self.flush_pending()
            changed += self._each(WorkflowStatus.IN_PROGRESS, lambda wf: self.apply(wf, _sweep_one))
            self._recovered = True
        next_look = self.due_times.next_look()
        read = next_look is None or now >= next_look
        if read:
            changed += self._sweep_due(now)
        if self.gate is not None and (self._next_approvals is None or now >= self._next_approvals):
            self._next_approvals = now + timedelta(seconds=self.idle_seconds)
            changed += self._each(
                WorkflowStatus.AWAITING_APPROVAL, lambda wf: self._awaited(self.store.load(wf))
            )
        return {"flushed": flushed, "changed": changed, "read_due_index": read}

    def _sweep_due(self, now: datetime) -> int:
        horizon = now + timedelta(seconds=self.idle_seconds)
        due = self.store.due_workflows(horizon, limit=DUE_PAGE)
        self.due_times.read(now, due, horizon, complete=len(due) < DUE_PAGE)
        changed = 0
        for workflow_id, at in due:
            if at > now:
                continue
            with log_context(workflow_id=workflow_id):
                try:
                    changed += int(self.apply(workflow_id, _sweep_one) is not None)
                except UnknownTemplateError as exc:
                    log.error("sweep skips workflow %s: %s", workflow_id, exc)
        return changed


def _sweep_one(engine: Engine) -> None:
    engine.time_out()
    engine.dispatch_ready()
