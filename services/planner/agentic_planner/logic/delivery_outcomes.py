"""Delivery outcomes recorded on the workflow, so ``GET /workflows/{id}`` shows what reached people.

The workflow record carries ``notifications``: ``'<event> via <channel>'`` → ``delivered`` or
``failed (<answer>)``. The write is conditional on the record's version, like every state change;
a lost race re-reads and re-applies. It starts from the workflow as the planner last committed it
(``WorkflowService.current``): a notification follows the transition that caused it, so that read is
usually saved. Events of no workflow (a remediation action outside any
workflow) have no record to carry it: the outcome is in the log only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from agentic_common.state import ConflictError

from agentic_planner.logic.workflows import WorkflowService

log = logging.getLogger(__name__)

MAX_CONFLICT_RETRIES = 8
MAX_OUTCOME_CHARS = 300


@dataclass
class WorkflowDeliveryOutcomes:
    workflows: WorkflowService

    def record(self, workflow_id: str, key: str, outcome: str) -> None:
        outcome = outcome if len(outcome) <= MAX_OUTCOME_CHARS else outcome[: MAX_OUTCOME_CHARS - 1] + "…"
        for _ in range(MAX_CONFLICT_RETRIES):
            state = self.workflows.current(workflow_id)
            if state is None:
                log.info("notification %s of %s: %s (no workflow record)", key, workflow_id, outcome)
                return
            workflow = state.workflow
            if workflow.notifications.get(key) == outcome:
                return
            updated = workflow.model_copy(
                update={
                    "notifications": {**workflow.notifications, key: outcome},
                    "version": workflow.version + 1,
                }
            )
            try:
                self.workflows.store.commit([updated])
            except ConflictError:
                self.workflows.known.forget(workflow_id)
                continue
            self.workflows.known.remember(state.model_copy(update={"workflow": updated}))
            return
        raise ConflictError(f"workflow {workflow_id}: could not record notification {key}")
