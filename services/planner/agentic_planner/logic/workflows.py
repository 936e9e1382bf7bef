"""The planner's use cases: create a workflow, react to events, sweep. Ports in, no I/O of its own."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agentic_common.bus import EventPublisher
from agentic_common.events import EVENT_MODELS
from agentic_common.state import ConflictError, StateStore, WorkflowState, WorkflowStatus

from agentic_planner.catalogue.catalogue import Catalogue
from agentic_planner.logic.engine import Engine

log = logging.getLogger(__name__)
MAX_CONFLICT_RETRIES = 8


@dataclass
class WorkflowService:
    store: StateStore
    publisher: EventPublisher
    catalogue: Catalogue
    clock: Callable[[], datetime]

    def apply(self, workflow_id: str, action: Callable[[Engine], None]) -> WorkflowState | None:
        """Load, flush any pending outbox, apply ``action``, commit conditionally, publish. Retries lost races."""
        for _ in range(MAX_CONFLICT_RETRIES):
            state = self.store.load(workflow_id)
            if state is None:
                log.warning("event for unknown workflow %s ignored", workflow_id)
                return None
            try:
                state = self._flush_outbox(state)
                engine = Engine(state, self.catalogue.get(state.workflow.template), self.clock())
                action(engine)
                transition = engine.seal()
                if transition.empty:
                    return state
                self.store.commit(list(transition.records.values()))
            except ConflictError:
                log.info("workflow %s changed concurrently; re-applying", workflow_id)
                continue
            return self._flush_after_commit(workflow_id)
        raise ConflictError(
            f"workflow {workflow_id}: gave up after {MAX_CONFLICT_RETRIES} concurrent changes"
        )

    def _flush_after_commit(self, workflow_id: str) -> WorkflowState | None:
        """The transition is committed; publishing its outbox may race another writer doing the same.

        Losing that race is fine (the winner published; consumers are idempotent), so it must not
        turn a committed transition into an error for the caller (an API request, an event).
        """
        fresh = self.store.load(workflow_id)
        if fresh is None:
            return None
        try:
            return self._flush_outbox(fresh)
        except ConflictError:
            log.info("workflow %s outbox flushed by another writer", workflow_id)
            return self.store.load(workflow_id)

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

    def sweep(self) -> dict[str, Any]:
        """Flush stuck outboxes, fail timed-out attempts, dispatch due retries. Runs on a schedule."""
        flushed = self.flush_pending()
        swept = 0
        cursor = None
        while True:
            page = self.store.list_workflows(WorkflowStatus.IN_PROGRESS, limit=100, cursor=cursor)
            for workflow in page.workflows:
                before = workflow.version
                after = self.apply(workflow.workflow_id, _sweep_one)
                swept += int(after is not None and after.workflow.version != before)
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        return {"flushed": flushed, "changed": swept}


def _sweep_one(engine: Engine) -> None:
    engine.time_out()
    engine.dispatch_ready()
