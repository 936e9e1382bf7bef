"""What the deployment worker does with each event on its queue."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from agentic_common.agent import TaskAgent
from agentic_common.events import Envelope
from agentic_common.events.approvals import ApprovalDecided
from agentic_common.events.remediation import RemediationActionRequested

from agentic_deployment.logic.remediation_actions import RemediationExecutor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeploymentEvents:
    tasks: TaskAgent
    actions: RemediationExecutor

    def handle(self, envelope: Envelope) -> None:
        detail = envelope.detail
        if isinstance(detail, RemediationActionRequested):
            self.actions.handle(detail)
        elif isinstance(detail, ApprovalDecided):
            # The planner resumes or fails the workflow; the deploy task re-checks the approval's digest.
            log.info(
                "approval %s %s by %s",
                detail.approval_id,
                detail.decision,
                detail.decided_by,
                extra={"audit": "approval.decided", "workflow_id": detail.workflow_id},
            )
        else:
            self.tasks.handle(envelope)
