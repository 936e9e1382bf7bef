"""What people read when a workflow ends: a short title, the reason or summary, and links."""

from __future__ import annotations

from agentic_common.events.planner import WorkflowCompleted, WorkflowFailed
from agentic_common.events.remediation import RemediationEscalated
from agentic_common.state import WorkflowState

from agentic_planner.ports import Notification


def render_notification(state: WorkflowState, event: WorkflowCompleted | WorkflowFailed) -> Notification:
    workflow = state.workflow
    service = workflow.parameters.get("serviceName", workflow.workflow_id)
    environment = workflow.parameters.get("environment", "")
    minutes, seconds = divmod(int(event.duration_seconds), 60)
    took = f"{minutes}m{seconds:02d}s"
    if isinstance(event, WorkflowCompleted):
        title = f"{service} is running in {environment}: generated, policy-checked, deployed and verified"
        text = f"Workflow {workflow.workflow_id} completed in {took}. {event.summary}."
        text += "".join(
            f" {t.outputs['summary']}"
            for t in state.tasks  # observability's evidence-linked summary
            if t.agent == "observability" and isinstance(t.outputs.get("summary"), str)
        )
        status = "completed"
    else:
        title = f"{service}: workflow {workflow.workflow_id} failed"
        text = f"Failed after {took}: {event.reason}"
        if state.remediations:
            text += " Recommendation: " + state.remediations[0].summary
        status = "failed"
    return Notification(
        workflow_id=workflow.workflow_id, status=status, title=title, text=text, links=dict(workflow.links)
    )


def render_escalation(event: RemediationEscalated) -> Notification:
    """A remediation that failed, was refused or hit its loop bound: a person must look."""
    where = f" in {event.environment}" if event.environment else ""
    links = {"deployment": event.deployment_id} if event.deployment_id else {}
    if event.action_id:
        links["action"] = event.action_id
    return Notification(
        workflow_id=event.workflow_id,
        status="escalated",
        title=f"{event.service}{where}: remediation needs a person",
        text=event.summary,
        links=links,
    )
