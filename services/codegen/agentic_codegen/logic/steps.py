"""The steps every codegen action shares: the ports, rendering, the secret gate, Git failures."""

from __future__ import annotations

from dataclasses import dataclass

from agentic_common.agent import TaskError
from agentic_common.artifact_store import ArtifactStore
from agentic_common.events.tasks import TaskCreated
from agentic_common.git import GitHost, GitHostError
from agentic_common.state.currency import TaskReader

from agentic_codegen.logic.attempts import ensure_current
from agentic_codegen.logic.parameters import ServiceParameters
from agentic_codegen.ports import Files, Renderer, RenderError, ResourceProposer, SecretFinding, SecretScanner

MAX_LISTED_FINDINGS = 10


@dataclass(frozen=True)
class CodegenPorts:
    renderer: Renderer
    artifacts: ArtifactStore
    git: GitHost
    scanner: SecretScanner
    tasks: TaskReader  # the workflows state: is this attempt still the current one?
    proposer: ResourceProposer | None = None
    default_branch: str = "main"


def before_side_effects(ports: CodegenPorts, task: TaskCreated) -> None:
    """Raise ``StaleAttemptError`` unless this attempt is still current (nothing has been changed yet)."""
    ensure_current(ports.tasks, task)


def render(ports: CodegenPorts, params: ServiceParameters) -> dict[str, bytes]:
    try:
        return ports.renderer.render(params)
    except RenderError as exc:
        raise TaskError(
            f"rendering the service failed: {exc}. This is a defect in the codegen templates; "
            "report it to the platform team.",
            retryable=False,
        ) from exc


def refuse_secrets(ports: CodegenPorts, files: Files) -> None:
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


def git_failure(exc: GitHostError, doing: str) -> TaskError:
    advice = "Another attempt may succeed." if exc.retryable else "Retrying will not help; fix the cause."
    return TaskError(f"{doing} failed: {exc}. {advice}", retryable=exc.retryable)
