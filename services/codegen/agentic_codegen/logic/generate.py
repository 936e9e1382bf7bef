"""The codegen work function: render (optionally customised) → scan → archive → publish to Git.

``generate`` creates a repository (one commit on the default branch) or, when the repository already
has content, proposes the change as a merge request. ``upgrade`` lives in ``logic/upgrade.py``.
"""

from __future__ import annotations

from agentic_common.agent import TaskError, Work, WorkResult
from agentic_common.events.codegen import CodegenCompleted, CodegenOutputs
from agentic_common.events.tasks import TaskCreated
from agentic_common.git import GitHostError, PublishedRepo

from agentic_codegen.logic import upgrade
from agentic_codegen.logic.customise import customise
from agentic_codegen.logic.package import artifact_key, store_archive
from agentic_codegen.logic.parameters import ServiceParameters, parse_parameters
from agentic_codegen.logic.steps import (
    CodegenPorts,
    before_side_effects,
    git_failure,
    refuse_secrets,
    render,
)

ACTION = "generate"

__all__ = ["ACTION", "CodegenPorts", "artifact_key", "generate", "git_failure", "make_work"]


def commit_message(task: TaskCreated, params: ServiceParameters) -> str:
    return (
        f"Generate {params.service_name} from template {task.template}\n\n"
        f"Language: {params.language}, database: {params.database}, environment: {params.environment}.\n"
        f"Agentic-Workflow: {task.workflow_id}\nAgentic-Task: {task.task_id}\n"
    )


def generate(task: TaskCreated, ports: CodegenPorts) -> WorkResult:
    params = parse_parameters(task.parameters)
    params, customisation = customise(task.parameters, params, ports.proposer)
    files = render(ports, params)
    refuse_secrets(ports, files)
    before_side_effects(ports, task)
    ref = store_archive(ports.artifacts, task.workflow_id, params.service_name, files)
    try:
        repo = ports.git.publish(
            params.service_name, files, commit_message(task, params), description=params.summary
        )
    except GitHostError as exc:
        raise git_failure(exc, f"publishing {params.service_name} to Git") from exc
    outputs = CodegenOutputs(
        service_name=params.service_name,
        artifact=ref,
        files=len(files),
        customisation=customisation,
        **_where(repo),
    )
    completed = CodegenCompleted(workflow_id=task.workflow_id, task_id=task.task_id, outputs=outputs)
    return WorkResult(outputs=outputs, events=[completed])


def _where(repo: PublishedRepo) -> dict[str, object]:
    mr = repo.merge_request
    return {
        "repo_url": repo.repo_url,
        "commit": repo.commit,
        "branch": repo.branch,
        "merge_request_iid": mr.iid if mr else None,
        "merge_request_url": mr.url if mr else None,
    }


def make_work(ports: CodegenPorts) -> Work:
    actions = {ACTION: generate, upgrade.ACTION: upgrade.upgrade}

    def work(task: TaskCreated) -> WorkResult:
        if task.action not in actions:
            raise TaskError(
                f"codegen cannot do action {task.action!r}; it does {' and '.join(map(repr, actions))}.",
                retryable=False,
            )
        return actions[task.action](task, ports)

    return work
