"""Per-process wiring of the policy service: settings → runtime → adapters → TaskAgent → Consumer."""

from __future__ import annotations

from agentic_common.agent import TaskAgent
from agentic_common.artifact_store import S3ArtifactStore
from agentic_common.consumer import Consumer
from agentic_common.runtime import start_runtime
from agentic_common.settings import CommonSettings, load_settings

from agentic_policy.adapters.dynamodb_recorder import DynamoDBViolationRecorder
from agentic_policy.logic.scan_task import RepositoryScan, failure_events

SERVICE = "policy"


def build(settings: CommonSettings | None = None) -> Consumer:
    """The consumer of the policy-tasks queue. Call once per process (the handler caches it)."""
    settings = settings or load_settings(CommonSettings)
    runtime = start_runtime(SERVICE, settings)
    artifacts = S3ArtifactStore(runtime.clients.client("s3"), runtime.bucket("agent-artifacts"))
    recorder = DynamoDBViolationRecorder(
        runtime.clients.client("dynamodb"), runtime.table("policy-violations")
    )
    agent = TaskAgent(
        agent=SERVICE,
        work=RepositoryScan(artifacts=artifacts, recorder=recorder),
        publisher=runtime.publisher,
        claims=runtime.claims,
        failure_events=failure_events,
    )
    return runtime.consumer(agent.handle)
