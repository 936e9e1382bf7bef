"""The SLO a service declared: the one its deployment's verification was judged on (``VerificationOutputs``
of the workflow's observability task), read through the shared workflow state store."""

from __future__ import annotations

import logging

from agentic_common.events.observability import Slo
from agentic_common.state import StateStore
from pydantic import ValidationError

from agentic_observability.ports import DeploymentRow

log = logging.getLogger(__name__)
AGENT = "observability"


class WorkflowDeclaredObjectives:
    def __init__(self, state: StateStore) -> None:
        self._state = state

    def declared(self, deployment: DeploymentRow) -> Slo | None:
        if not deployment.workflow_id:
            return None
        state = self._state.load(deployment.workflow_id)
        if state is None:
            return None
        for task in state.tasks:
            raw = task.outputs.get("slo") if task.agent == AGENT else None
            if raw is None:
                continue
            try:
                return Slo.model_validate(raw)
            except ValidationError:
                log.warning("workflow %s: the verify task's slo is unreadable", deployment.workflow_id)
        return None
