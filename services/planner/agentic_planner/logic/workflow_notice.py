"""The message for a workflow's end: who, what, where, how it went, and where to click.

- Title: the service, the environment and the outcome (``orders-api in prod: completed``).
- Text: the steps that actually ran (``Deployed and verified in 0m41s.``), or on failure one
  sentence of what failed and what to do, then the reason.
- Facts: template, version (linked to the commit on a public repository host), requester, duration.
- Actions (buttons), public URLs only: the workflow, the repository, the merge request, the policy
  report and the deployment on the platform's public URL, and the ArgoCD application (or the running
  service, on a target without ArgoCD).
"""

from __future__ import annotations

from typing import Any

from agentic_common.events.planner import WorkflowCompleted, WorkflowFailed
from agentic_common.state import TaskRecord, TaskStatus, WorkflowState

from agentic_planner.logic.public_links import commit_url, is_public, public_base
from agentic_planner.logic.service_names import service_of
from agentic_planner.ports import Notification

AGENT_ORDER = ("codegen", "policy", "deployment", "observability", "remediation")
DONE = {
    "codegen": "generated",
    "policy": "policy-checked",
    "deployment": "deployed",
    "observability": "verified",
}
STEP = {
    "codegen": "code generation",
    "policy": "policy check",
    "deployment": "deployment",
    "observability": "SLO verification",
    "remediation": "remediation",
}
WHAT_TO_DO = {
    "codegen": "check the parameters and the error below, then run the workflow again",
    "policy": "fix the violations in the policy report (or ask for a waiver), then run it again",
    "deployment": "open the deployment record; the previous version keeps serving, fix and deploy again",
    "observability": "the service missed its SLO after the deploy: read the evidence, then roll back or fix",
    "remediation": "a person must look at the remediation record",
}
SHORT_COMMIT = 8


def _in_order(state: WorkflowState) -> list[TaskRecord]:
    rank = {agent: i for i, agent in enumerate(AGENT_ORDER)}
    return sorted(state.tasks, key=lambda t: (rank.get(t.agent, len(rank)), t.task_id))


def _outputs(state: WorkflowState, agent: str) -> dict[str, Any]:
    found = [t.outputs for t in _in_order(state) if t.agent == agent and t.status is TaskStatus.SUCCEEDED]
    return found[-1] if found else {}


def _text(outputs: dict[str, Any], key: str) -> str | None:
    value = outputs.get(key)
    return value if isinstance(value, str) and value else None


def steps_that_ran(state: WorkflowState) -> str:
    """``generated, policy-checked and deployed``: the succeeded tasks, in plan order, once each."""
    done: list[str] = []
    for task in _in_order(state):
        if task.status is TaskStatus.SUCCEEDED:
            verb = "upgraded" if task.action == "upgrade" else DONE.get(task.agent, task.action)
            if verb not in done:
                done.append(verb)
    return ", ".join(done[:-1]) + f" and {done[-1]}" if len(done) > 1 else "".join(done)


def what_failed(state: WorkflowState, reason: str) -> str:
    """One sentence: which step failed and what to do about it."""
    failed = [t for t in _in_order(state) if t.status is TaskStatus.FAILED]
    if not failed:
        return "The workflow was stopped before its steps could finish: read the reason below."
    task = failed[0]
    attempts = f"{task.attempt} attempt" + ("s" if task.attempt != 1 else "")
    step = STEP.get(task.agent, task.agent)
    return f"The {step} ({task.task_id}) failed after {attempts}: {WHAT_TO_DO.get(task.agent, 'see below')}."


def _actions(state: WorkflowState, base: str | None) -> dict[str, str]:
    workflow = state.workflow
    codegen, policy = _outputs(state, "codegen"), _outputs(state, "policy")
    deployment = _outputs(state, "deployment")
    repo = _text(codegen, "repo_url") or workflow.parameters.get("repoUrl")
    candidates = {
        "Workflow": f"{base}/workflows/{workflow.workflow_id}" if base else None,
        "Repository": repo if isinstance(repo, str) else None,
        "Merge request": _text(codegen, "merge_request_url"),
        "Policy report": f"{base}/policy/decisions/{policy['decision_id']}"
        if base and _text(policy, "decision_id")
        else None,
        "Deployment": f"{base}/deployments/{deployment['deployment_id']}"
        if base and _text(deployment, "deployment_id")
        else None,
        # on the ArgoCD target the deployment's url is its ArgoCD application, else the running service
        "ArgoCD app" if deployment.get("target") == "argocd" else "Service": _text(deployment, "url"),
    }
    return {label: url for label, url in candidates.items() if url and is_public(url)}


def _facts(state: WorkflowState, took: str) -> tuple[dict[str, str], dict[str, str]]:
    workflow = state.workflow
    codegen, deployment = _outputs(state, "codegen"), _outputs(state, "deployment")
    version = _text(deployment, "version") or _text(codegen, "commit") or workflow.parameters.get("version")
    repo = _text(codegen, "repo_url") or workflow.parameters.get("repoUrl")
    requester = workflow.requested_by + (f" (via {workflow.via})" if workflow.via else "")
    facts = {"Template": workflow.template, "Requested by": requester, "Duration": took}
    links: dict[str, str] = {}
    if isinstance(version, str) and version:
        facts["Version"] = version[:SHORT_COMMIT]
        url = commit_url(repo if isinstance(repo, str) else None, version)
        if url:
            links["Version"] = url
    return facts, links


def render_workflow_end(
    state: WorkflowState, event: WorkflowCompleted | WorkflowFailed, public_url: str | None = None
) -> Notification:
    workflow = state.workflow
    parameters = workflow.parameters
    service = service_of(parameters) or workflow.template
    environment = parameters.get("environment") or "no environment"
    minutes, seconds = divmod(int(event.duration_seconds), 60)
    took = f"{minutes}m{seconds:02d}s"
    base = public_base(public_url)
    if isinstance(event, WorkflowCompleted):
        status, ran = "completed", steps_that_ran(state)
        text = f"{ran[:1].upper()}{ran[1:]} in {took}." if ran else f"Completed in {took}."
        summaries = [_text(t.outputs, "summary") for t in state.tasks if t.agent == "observability"]
        text += "".join(f" {s}" for s in summaries if s)  # observability's evidence-linked summary
    else:
        status = "failed"
        text = f"{what_failed(state, event.reason)}\nReason: {event.reason}"
        if state.remediations:
            text += "\nRecommendation: " + state.remediations[0].summary
    facts, fact_links = _facts(state, took)
    return Notification(
        workflow_id=workflow.workflow_id,
        event=event.DETAIL_TYPE,
        status=status,
        title=f"{service} in {environment}: {status}",
        text=text,
        links=dict(workflow.links),
        facts=facts,
        fact_links=fact_links,
        actions=_actions(state, base),
        record_url=f"{base}/workflows/{workflow.workflow_id}" if base else None,
    )
