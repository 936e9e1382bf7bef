"""Run a ``remediation.action_requested`` on the deploy target and answer ``remediation.action_completed``.

Each action runs once (claimed by ``action_id``); an assisted action runs only if its approval is
approved, and so does any action in an environment whose row of the environment table requires an
approval, whatever tier the request claims (a second guard behind remediation's own tier table).
A failure the target understands is an outcome ("failed", with the reason), not a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agentic_common.agent import TaskError
from agentic_common.approvals import ApprovalStatus, ApprovalStore
from agentic_common.bus import EventPublisher
from agentic_common.environments import UnknownEnvironmentError, load_rules
from agentic_common.events.remediation import RemediationActionCompleted, RemediationActionRequested
from agentic_common.idempotency import ClaimStore, once
from agentic_common.redact import redact

from agentic_deployment.ports import ActionTarget, Snapshot

log = logging.getLogger(__name__)
LEASE_SECONDS = 600


@dataclass(frozen=True)
class RemediationExecutor:
    target: ActionTarget
    publisher: EventPublisher
    claims: ClaimStore
    approvals: ApprovalStore | None = None

    def handle(self, request: RemediationActionRequested) -> None:
        with once(self.claims, f"action#{request.action_id}", lease_seconds=LEASE_SECONDS) as owned:
            if not owned:
                log.info("remediation action %s was already run", request.action_id)
                return
            self.publisher.publish(self._run(request))

    def _run(self, request: RemediationActionRequested) -> RemediationActionCompleted:
        base = {
            "workflow_id": request.workflow_id,
            "action_id": request.action_id,
            "service": request.service,
            "deployment_id": request.deployment_id,
            "environment": request.environment,
            "action": request.action,
        }
        try:
            self._check_approval(request)
            action: Callable[[str, str, dict[str, Any]], tuple[Snapshot, Snapshot]] = getattr(
                self.target, request.action
            )
            before, after = action(request.service, request.environment, request.parameters)
        except TaskError as exc:
            log.warning("remediation %s (%s) failed: %s", request.action_id, request.action, exc)
            return RemediationActionCompleted(**base, outcome="failed", detail=redact(str(exc)))
        detail = (
            f"{request.action} of {request.service} in {request.environment} done: now {after.get('version')}"
        )
        log.info(detail, extra={"action_id": request.action_id})
        return RemediationActionCompleted(
            **base, outcome="succeeded", detail=detail, before=before, after=after
        )

    def _check_approval(self, request: RemediationActionRequested) -> None:
        try:
            table_requires = load_rules().for_environment(request.environment).approval.required
        except UnknownEnvironmentError as exc:
            raise TaskError(f"{exc}: the action was not run", retryable=False) from None
        if request.approval_id is None or self.approvals is None:
            if request.tier == "assisted":
                raise TaskError("an assisted remediation needs an approval id", retryable=False)
            if table_requires:
                raise TaskError(
                    f"{request.environment} requires an approval for every action "
                    f"(environment table); this {request.tier} request carries none: the action was not run",
                    retryable=False,
                )
            return
        approval = self.approvals.get(request.approval_id)
        if approval is None or approval.status is not ApprovalStatus.APPROVED:
            state = approval.status.value if approval else "missing"
            raise TaskError(
                f"approval {request.approval_id} is {state}: the action was not run", retryable=False
            )
