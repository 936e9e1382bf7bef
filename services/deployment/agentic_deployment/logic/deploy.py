"""The deploy task: parse what codegen produced, run it on the deploy target, record it, report it."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from agentic_common.agent import TaskError, WorkResult
from agentic_common.events.codegen import CodegenOutputs
from agentic_common.events.deployment import DeploymentCompleted, DeploymentOutputs
from agentic_common.events.envelope import utc_now
from agentic_common.events.tasks import TaskCreated
from pydantic import ValidationError

from agentic_deployment.ports import (
    DeploymentHistory,
    DeploymentRecord,
    DeploymentStatus,
    DeployRequest,
    DeployTarget,
    RunningService,
)

log = logging.getLogger(__name__)

ACTION = "deploy"
UPSTREAM = "codegen"
HISTORY_RETENTION = timedelta(days=90)


def deployment_id(workflow_id: str, task_id: str) -> str:
    """Deterministic, so a redelivered or retried task finds what an earlier attempt deployed."""
    return "dep-" + hashlib.sha256(f"{workflow_id}:{task_id}".encode()).hexdigest()[:16]


def deploy_request(task: TaskCreated) -> DeployRequest:
    """Everything the target needs, from the task; a malformed task fails for good (retrying cannot help)."""
    if task.action != ACTION:
        raise TaskError(
            f"the deployment agent has no action {task.action!r}; the template must use {ACTION!r}",
            retryable=False,
        )
    raw = task.upstream.get(UPSTREAM)
    if raw is None:
        raise TaskError(
            f"task {task.task_id} has no upstream {UPSTREAM!r} outputs: in the template, make the "
            f"deploy task depend on the {UPSTREAM!r} task",
            retryable=False,
        )
    try:
        codegen = CodegenOutputs.model_validate(raw)
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise TaskError(
            f"upstream {UPSTREAM!r} outputs are not valid codegen outputs (check: {fields})", retryable=False
        ) from None
    environment = task.parameters.get("environment")
    if not isinstance(environment, str) or not environment:
        raise TaskError(
            "the workflow parameters have no 'environment': add it to the request", retryable=False
        )
    return DeployRequest(
        deployment_id=deployment_id(task.workflow_id, task.task_id),
        workflow_id=task.workflow_id,
        service_name=codegen.service_name,
        environment=environment,
        repo_url=codegen.repo_url,
        commit=codegen.commit,
        timeout_seconds=task.timeout_seconds,
    )


@dataclass(frozen=True)
class DeployWork:
    """``work(task)`` for the TaskAgent."""

    target: DeployTarget
    history: DeploymentHistory
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = field(default=utc_now)

    def __call__(self, task: TaskCreated) -> WorkResult:
        request = deploy_request(task)
        started = self.monotonic()
        try:
            running = self.target.deploy(request)
        except TaskError:
            self.history.record(self._record(task, request, "failed", self.now(), url=None))
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
        )

    def _record(
        self,
        task: TaskCreated,
        request: DeployRequest,
        status: DeploymentStatus,
        at: datetime,
        url: str | None,
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
            expires_at=int((at + HISTORY_RETENTION).timestamp()),
        )
