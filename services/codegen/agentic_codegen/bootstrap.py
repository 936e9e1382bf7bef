"""Per-process wiring of the codegen service: settings → runtime → adapters → TaskAgent consumer.

The Git host is the local bare-repository one unless ``GITLAB_URL`` is set; the Claude proposer is
wired only when ``ANTHROPIC_API_KEY`` is set (otherwise customisation is skipped and reported so).
"""

from __future__ import annotations

from agentic_common.artifact_store import S3ArtifactStore
from agentic_common.consumer import Consumer
from agentic_common.git import GitHost
from agentic_common.git.factory import build_git_host
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import load_settings

from agentic_codegen.adapters.secret_scan import DetectSecretsScanner
from agentic_codegen.logic.generate import CodegenPorts, make_work
from agentic_codegen.logic.render import TemplateRenderer
from agentic_codegen.ports import ResourceProposer
from agentic_codegen.settings import CodegenSettings

SERVICE = "codegen"
ARTIFACT_BUCKET = "agent-artifacts"


def git_host(settings: CodegenSettings, runtime: ServiceRuntime) -> GitHost:
    secrets = runtime.clients.client("secretsmanager") if settings.gitlab_token_secret else None
    return build_git_host(settings, settings.agentic_home, secrets)


def proposer(settings: CodegenSettings) -> ResourceProposer | None:
    if settings.anthropic_api_key is None:
        return None
    # anthropic costs ~2 s of cold start; only a configured key pays it
    from agentic_codegen.adapters.claude_resources import ClaudeResourceProposer  # noqa: PLC0415

    return ClaudeResourceProposer(
        settings.anthropic_api_key.get_secret_value(), settings.anthropic_model, settings.anthropic_base_url
    )


def build(settings: CodegenSettings | None = None) -> Consumer:
    """Build the consumer of the codegen task queue. Call once per process."""
    settings = settings or load_settings(CodegenSettings)
    runtime = start_runtime(SERVICE, settings)
    tasks = runtime.tasks  # the planner's workflows state: checked again before the first side effect
    ports = CodegenPorts(
        renderer=TemplateRenderer(),
        artifacts=S3ArtifactStore(runtime.clients.client("s3"), runtime.bucket(ARTIFACT_BUCKET)),
        git=git_host(settings, runtime),
        scanner=DetectSecretsScanner(),
        tasks=tasks,
        proposer=proposer(settings),
        default_branch=settings.agentic_git_default_branch,
    )
    return runtime.consumer(runtime.task_agent(make_work(ports)).handle)
