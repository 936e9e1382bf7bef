"""Per-process wiring of the codegen service: settings → runtime → adapters → TaskAgent consumer."""

from __future__ import annotations

from agentic_common.agent import TaskAgent
from agentic_common.artifact_store import S3ArtifactStore
from agentic_common.consumer import Consumer
from agentic_common.runtime import start_runtime
from agentic_common.settings import load_settings

from agentic_codegen.adapters.local_git import LocalGitHost
from agentic_codegen.adapters.secret_scan import DetectSecretsScanner
from agentic_codegen.logic.generate import CodegenPorts, make_work
from agentic_codegen.logic.render import TemplateRenderer
from agentic_codegen.settings import CodegenSettings

SERVICE = "codegen"
ARTIFACT_BUCKET = "agent-artifacts"


def build(settings: CodegenSettings | None = None) -> Consumer:
    """Build the consumer of the codegen task queue. Call once per process."""
    settings = settings or load_settings(CodegenSettings)
    runtime = start_runtime(SERVICE, settings)
    ports = CodegenPorts(
        renderer=TemplateRenderer(),
        artifacts=S3ArtifactStore(runtime.clients.client("s3"), runtime.bucket(ARTIFACT_BUCKET)),
        git=LocalGitHost(settings.agentic_home / "git", settings.agentic_git_namespace),
        scanner=DetectSecretsScanner(),
    )
    agent = TaskAgent(
        agent=SERVICE, work=make_work(ports), publisher=runtime.publisher, claims=runtime.claims
    )
    return runtime.consumer(agent.handle)
