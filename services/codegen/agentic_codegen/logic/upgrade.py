"""The ``codegen.upgrade`` action: re-render an existing generated service with the current (newer)
template version, keep the files the team changed, and propose the difference as a merge request."""

from __future__ import annotations

from agentic_common.agent import TaskError, WorkResult
from agentic_common.events.codegen import CodegenCompleted, CodegenOutputs, UpgradeReport
from agentic_common.events.tasks import TaskCreated
from agentic_common.git import GitHostError

from agentic_codegen.logic.package import store_archive
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.steps import (
    CodegenPorts,
    before_side_effects,
    git_failure,
    refuse_secrets,
    render,
)
from agentic_codegen.logic.upgrade_plan import plan_upgrade, version_key

ACTION = "upgrade"
MAX_LISTED = 50


def _listing(title: str, paths: list[str]) -> str:
    shown = "".join(f"- `{path}`\n" for path in paths[:MAX_LISTED])
    more = f"- … and {len(paths) - MAX_LISTED} more\n" if len(paths) > MAX_LISTED else ""
    return f"\n{title} ({len(paths)}):\n{shown}{more}" if paths else ""


def upgrade_message(service: str, task: TaskCreated, report: UpgradeReport) -> str:
    return (
        f"Upgrade {service} to template {task.template or 'service'} {report.to_version}\n\n"
        f"Re-rendered from template version {report.from_version} to {report.to_version}. Files the team "
        "changed since generation are kept as they are; review the kept ones for template changes you want."
        "\n"
        + _listing("Kept (changed by the team)", report.kept)
        + _listing("Updated", report.updated)
        + _listing("Added", report.added)
        + _listing("Removed", report.removed)
        + f"\nAgentic-Workflow: {task.workflow_id}\nAgentic-Task: {task.task_id}\n"
    )


def upgrade(task: TaskCreated, ports: CodegenPorts) -> WorkResult:
    params = parse_parameters(task.parameters)
    service = params.service_name
    try:
        current = ports.git.read_tree(service, ports.default_branch)
    except GitHostError as exc:
        raise git_failure(
            exc, f"reading {service} for the upgrade (it must exist: run generate first)"
        ) from exc
    plan = plan_upgrade(current, render(ports, params))
    report = plan.report
    if version_key(report.to_version) < version_key(report.from_version):
        raise TaskError(
            f"{service} is on template version {report.from_version}, newer than this codegen's "
            f"{report.to_version}; refusing to downgrade.",
            retryable=False,
        )
    refuse_secrets(ports, plan.files)
    before_side_effects(ports, task)
    ref = store_archive(ports.artifacts, task.workflow_id, service, plan.files)
    try:
        repo = ports.git.publish(
            service, plan.files, upgrade_message(service, task, report), description=params.summary
        )
    except GitHostError as exc:
        raise git_failure(exc, f"proposing the upgrade of {service}") from exc
    mr = repo.merge_request
    outputs = CodegenOutputs(
        service_name=service,
        repo_url=repo.repo_url,
        commit=repo.commit,
        branch=repo.branch,
        artifact=ref,
        files=len(plan.files),
        merge_request_iid=mr.iid if mr else None,
        merge_request_url=mr.url if mr else None,
        upgrade=report,
    )
    completed = CodegenCompleted(workflow_id=task.workflow_id, task_id=task.task_id, outputs=outputs)
    return WorkResult(outputs=outputs, events=[completed])
