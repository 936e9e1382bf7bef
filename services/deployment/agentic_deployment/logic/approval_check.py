"""Before a deployment that needs approval runs: the approval exists, is approved, and still covers it.

The digest is computed again from the task; if it differs from the approved one, what would run now is
not what was approved, so the approval is voided and the task fails for good.
"""

from __future__ import annotations

import logging

from agentic_common.agent import TaskError
from agentic_common.approvals import ApprovalStatus, ApprovalStore
from agentic_common.approvals.deployment import approval_id_for, approval_required, deployment_digest
from agentic_common.events.tasks import TaskCreated

log = logging.getLogger(__name__)


def check_approval(store: ApprovalStore, task: TaskCreated, environment: str) -> str | None:
    """The approving user, or None when no approval is needed; raises TaskError otherwise."""
    if not approval_required(task.config, environment):
        return None
    approval_id = approval_id_for(task.workflow_id)
    approval = store.get(approval_id)
    if approval is None:
        raise TaskError(
            f"deploying to {environment} needs an approval and there is none ({approval_id})", retryable=False
        )
    if approval.status is not ApprovalStatus.APPROVED:
        raise TaskError(
            f"approval {approval_id} is {approval.status.value}, not approved: nothing was deployed",
            retryable=False,
        )
    if approval.digest != deployment_digest(task.parameters, task.config, task.upstream):
        store.void(approval_id, "what would be deployed (artifact or plan) differs from what was approved")
        log.warning("approval %s voided: digest changed", approval_id, extra={"audit": "approval.voided"})
        raise TaskError(
            f"approval {approval_id} is void: the artifact or the plan changed after it was approved; "
            "request a new deployment and approval",
            retryable=False,
        )
    return approval.decided_by
