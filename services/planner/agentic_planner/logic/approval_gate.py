"""The approval a waiting workflow needs: requested under the environment table's rule, whatever the route.

Whenever a workflow enters ``awaiting_approval`` (any template, ``POST /workflows`` or ``POST /deploy``),
``ensure`` stores one approval for it (``apr-<workflow id>``), bound to the digest of what the gated
task will do, recording the rule (distinct approvers, four eyes) from the table made stricter by the
template, and publishes ``approval.requested`` (what the notifier renders to approvers). It is
idempotent: the sweep calls it again for every waiting workflow, so a crash between the state change
and the approval cannot leave a workflow waiting for an approval nobody can give.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from agentic_common.approvals import Approval, ApprovalStatus, ApprovalStore, with_rule
from agentic_common.approvals.deployment import approval_id_for, deployment_digest, deployment_id_for
from agentic_common.approvals.models import DEFAULT_APPROVAL_TTL
from agentic_common.bus import EventPublisher
from agentic_common.environments import UnknownEnvironmentError, task_approval
from agentic_common.events.approvals import requested_event
from agentic_common.state import TaskRecord, TaskStatus, WorkflowState, WorkflowStatus

from agentic_planner.logic.catalogue_models import TaskTemplate, Template
from agentic_planner.logic.engine import needs_approval, upstream_outputs
from agentic_planner.logic.service_names import service_of

log = logging.getLogger(__name__)
ENDED = frozenset({ApprovalStatus.EXPIRED, ApprovalStatus.VOID, ApprovalStatus.REJECTED})


def gated_task(state: WorkflowState, template: Template) -> tuple[TaskRecord, TaskTemplate] | None:
    """The pending task the workflow waits for: its dependencies done, and it needs an approval."""
    tasks = {t.task_id: t for t in state.tasks}
    for spec in template.tasks:
        task = tasks.get(spec.id)
        if task is None or task.status != TaskStatus.PENDING:
            continue
        if all(tasks[d].status == TaskStatus.SUCCEEDED for d in task.depends_on) and needs_approval(
            template, task, state.workflow.parameters
        ):
            return task, spec
    return None


def digest_for(state: WorkflowState, template: Template) -> str | None:
    """The digest of what the gated task will do (artifact from upstream or the request, and the plan)."""
    gated = gated_task(state, template)
    if gated is None:
        return None
    task, spec = gated
    upstream = upstream_outputs({t.task_id: t for t in state.tasks}, task.task_id)
    return deployment_digest(state.workflow.parameters, spec.config, upstream)


def _summary(state: WorkflowState, task: TaskRecord) -> str:
    params = state.workflow.parameters
    service = service_of(params) or state.workflow.workflow_id
    upstream = upstream_outputs({t.task_id: t for t in state.tasks}, task.task_id)
    version = str(params.get("version") or upstream.get("codegen", {}).get("commit") or "")[:12]
    what = f"{task.action} {service}{f' {version}' if version else ''}"
    return f"{what} to {params.get('environment')} ({params.get('strategy', 'rolling')}), {task.task_id} task"


@dataclass
class ApprovalGate:
    approvals: ApprovalStore
    publisher: EventPublisher
    ttl: timedelta = DEFAULT_APPROVAL_TTL

    def ensure(self, state: WorkflowState, template: Template, now: datetime) -> Approval | str | None:
        """The workflow's approval (requested now if missing); a reason to fail the workflow when its
        approval has ended (expired, void, rejected) or cannot be requested; None if it is not waiting."""
        workflow = state.workflow
        if workflow.status != WorkflowStatus.AWAITING_APPROVAL:
            return None
        existing = self.approvals.get(approval_id_for(workflow.workflow_id))
        if existing is not None:
            if existing.status in ENDED:
                why = existing.comment or "it can no longer be approved"
                return f"approval {existing.approval_id} is {existing.status.value}: {why}"
            return existing
        gated = gated_task(state, template)
        if gated is None:
            return None
        task, spec = gated
        environment = str(workflow.parameters.get("environment", ""))
        try:
            rule = task_approval(task.agent, spec.config, environment)
        except UnknownEnvironmentError as exc:
            return f"task {task.task_id} cannot run: {exc}"
        approval = with_rule(
            Approval(
                approval_id=approval_id_for(workflow.workflow_id),
                kind="deployment",
                subject=deployment_id_for(workflow.workflow_id, task.task_id),
                workflow_id=workflow.workflow_id,
                service=str(service_of(workflow.parameters)),
                environment=environment,
                digest=digest_for(state, template) or "",
                summary=_summary(state, task),
                requested_by=workflow.requested_by,
                via=workflow.via,
                requested_at=now,
                expires_at=now + self.ttl,
            ),
            rule,
        )
        stored = self.approvals.request(approval)
        if stored.requested_at == now:  # this call stored it: announce it once
            self.publisher.publish(requested_event(stored))
            log.info(
                "approval %s requested for %s (%s), digest %s",
                stored.approval_id,
                workflow.workflow_id,
                rule.describe(),
                stored.digest,
                extra={"audit": "approval.requested", "workflow_id": workflow.workflow_id},
            )
        return stored
