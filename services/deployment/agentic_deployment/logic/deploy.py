"""The deploy task: check its approval, run it on the deploy target by its strategy, record it, report it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from agentic_common.agent import TaskError, WorkResult
from agentic_common.approvals import ApprovalStore
from agentic_common.events.deployment import DeploymentCompleted, DeploymentOutputs
from agentic_common.events.envelope import utc_now
from agentic_common.events.tasks import TaskCreated
from agentic_common.records.deployments import expires_at
from agentic_common.redact import redact

from agentic_deployment.logic.approval_check import check_approval
from agentic_deployment.logic.release import GateFailedError
from agentic_deployment.logic.task_request import ACTION, UPSTREAM, deploy_request, deployment_id
from agentic_deployment.ports import (
    DeploymentHistory,
    DeploymentRecord,
    DeploymentStatus,
    DeployRequest,
    DeployTarget,
    RunningService,
)

log = logging.getLogger(__name__)

__all__ = ["ACTION", "UPSTREAM", "DeployWork", "deploy_request", "deployment_id"]


@dataclass(frozen=True)
class DeployWork:
    """``work(task)`` for the TaskAgent."""

    target: DeployTarget
    history: DeploymentHistory
    approvals: ApprovalStore | None = None
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = field(default=utc_now)

    def __call__(self, task: TaskCreated) -> WorkResult:
        request = deploy_request(task)
        if self.approvals is not None:
            approver = check_approval(self.approvals, task, request.environment)
            if approver:
                log.info(
                    "deploying %s to %s, approved by %s", request.service_name, request.environment, approver
                )
        started = self.monotonic()
        try:
            running = self.target.deploy(request)
        except GateFailedError as exc:
            self.history.record(self._record(task, request, "rolled_back", self.now(), None, detail=str(exc)))
            raise
        except TaskError as exc:
            self.history.record(self._record(task, request, "failed", self.now(), None, detail=str(exc)))
            raise
        # The timestamp is when the process started: a redelivery that finds it running writes the same key.
        if not self.history.record(self._record(task, request, "success", running.started_at, running.url)):
            log.info("deployment %s at %s was already recorded", request.deployment_id, running.started_at)
        outputs = self._outputs(request, running, max(self.monotonic() - started, 0.0))
        completed = DeploymentCompleted(workflow_id=task.workflow_id, task_id=task.task_id, outputs=outputs)
        return WorkResult(outputs=outputs, events=[completed])

    def _outputs(self, request: DeployRequest, running: RunningService, seconds: float) -> DeploymentOutputs:
        return DeploymentOutputs(
            deployment_id=request.deployment_id,
            service_name=request.service_name,
            environment=request.environment,
            version=request.commit,
            url=running.url,
            target=self.target.name,
            duration_seconds=round(seconds, 3),
            strategy=request.strategy,
            steps=running.steps,
        )

    def _record(
        self,
        task: TaskCreated,
        request: DeployRequest,
        status: DeploymentStatus,
        at: datetime,
        url: str | None,
        *,
        detail: str | None = None,
    ) -> DeploymentRecord:
        return DeploymentRecord(
            deployment_id=request.deployment_id,
            timestamp=at,
            workflow_id=request.workflow_id,
            task_id=task.task_id,
            service_name=request.service_name,
            environment=request.environment,
            version=request.commit,
            status=status,
            target=self.target.name,
            url=url,
            expires_at=expires_at(at),
            repo_url=request.repo_url,
            strategy=request.strategy,
            detail=redact(detail, 2000) if detail else None,
        )
