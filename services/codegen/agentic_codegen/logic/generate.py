"""The codegen work function: render → scan → archive to the artifact store → publish to Git."""

from __future__ import annotations

from dataclasses import dataclass

from agentic_common.agent import TaskError, Work, WorkResult
from agentic_common.artifact_store import ArtifactStore
from agentic_common.events.codegen import CodegenCompleted, CodegenOutputs
from agentic_common.events.tasks import TaskCreated

from agentic_codegen.logic.package import build_archive
from agentic_codegen.logic.parameters import ServiceParameters, parse_parameters
from agentic_codegen.ports import (
    Files,
    GitHost,
    GitHostError,
    Renderer,
    RenderError,
    SecretFinding,
    SecretScanner,
)

ACTION = "generate"
MAX_LISTED_FINDINGS = 10


@dataclass(frozen=True)
class CodegenPorts:
    renderer: Renderer
    artifacts: ArtifactStore
    git: GitHost
    scanner: SecretScanner


def artifact_key(workflow_id: str, service_name: str) -> str:
    return f"workflows/{workflow_id}/{service_name}.tar.gz"


def commit_message(task: TaskCreated, params: ServiceParameters) -> str:
    return (
        f"Generate {params.service_name} from template {task.template}\n\n"
        f"Language: {params.language}, database: {params.database}, environment: {params.environment}.\n"
        f"Agentic-Workflow: {task.workflow_id}\nAgentic-Task: {task.task_id}\n"
    )


def _render(ports: CodegenPorts, params: ServiceParameters) -> dict[str, bytes]:
    try:
        return ports.renderer.render(params)
    except RenderError as exc:
        raise TaskError(
            f"rendering the service failed: {exc}. This is a defect in the codegen templates; "
            "report it to the platform team.",
            retryable=False,
        ) from exc


def _refuse_secrets(ports: CodegenPorts, files: Files) -> None:
    findings = ports.scanner.scan(files)
    if not findings:
        return
    listed = "; ".join(f"{f.kind} in {f.path} line {f.line}" for f in findings[:MAX_LISTED_FINDINGS])
    more = f" and {len(findings) - MAX_LISTED_FINDINGS} more" if len(findings) > MAX_LISTED_FINDINGS else ""
    raise TaskError(
        f"the generated repository contains what looks like a secret ({listed}{more}), so it was not pushed. "
        "Remove the credential from the templates or parameters and start a new workflow.",
        retryable=False,
        evidence={"findings": [_evidence(f) for f in findings[:MAX_LISTED_FINDINGS]]},
    )


def _evidence(finding: SecretFinding) -> dict[str, object]:
    return {"file": finding.path, "line": finding.line, "type": finding.kind}


def generate(task: TaskCreated, ports: CodegenPorts) -> WorkResult:
    if task.action != ACTION:
        raise TaskError(
            f"codegen cannot do action {task.action!r}; it only does {ACTION!r}.", retryable=False
        )
    params = parse_parameters(task.parameters)
    files = _render(ports, params)
    _refuse_secrets(ports, files)
    archive = build_archive(files, prefix=params.service_name)
    ref = ports.artifacts.put(
        artifact_key(task.workflow_id, params.service_name), archive.data, "application/gzip"
    )
    try:
        repo = ports.git.publish(params.service_name, files, commit_message(task, params))
    except GitHostError as exc:
        raise TaskError(
            f"publishing {params.service_name} to Git failed: {exc}. Another attempt may succeed; "
            "if it keeps failing, check the Git host.",
            retryable=True,
        ) from exc
    outputs = CodegenOutputs(
        service_name=params.service_name,
        repo_url=repo.repo_url,
        commit=repo.commit,
        branch=repo.branch,
        artifact=ref,
        files=len(files),
    )
    completed = CodegenCompleted(workflow_id=task.workflow_id, task_id=task.task_id, outputs=outputs)
    return WorkResult(outputs=outputs, events=[completed])


def make_work(ports: CodegenPorts) -> Work:
    def work(task: TaskCreated) -> WorkResult:
        return generate(task, ports)

    return work
