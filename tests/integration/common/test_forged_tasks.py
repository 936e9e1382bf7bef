"""Every task agent runs only tasks the planner dispatched, and only their current attempt.

A forged ``task.created`` (a workflow the planner never created) put on a task queue of the local AWS
is refused by the real consumer of that queue: it lands in the queue's DLQ at once with a reason a
person can read, and nothing happens outside (no event, no push, no deploy, no policy decision).
A late attempt of a task the planner knows is dropped: acknowledged, not dead-lettered, no effect.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from agentic_codegen.bootstrap import build as build_codegen
from agentic_codegen.settings import CodegenSettings
from agentic_common.aws import AwsClients
from agentic_common.events.tasks import TaskCreated
from agentic_common.poller import QueuePoller
from agentic_common.settings import CommonSettings
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.topology import default_topology
from agentic_deployment.bootstrap import build as build_deployment
from agentic_deployment.settings import DeploymentSettings
from agentic_observability.bootstrap import build as build_observability
from agentic_policy.bootstrap import build as build_policy
from agentic_policy.settings import PolicySettings

from tests.helpers import dispatched, eventbridge_body, task_created

PARAMETERS = {"serviceName": "forged-svc", "language": "python", "environment": "dev"}


@dataclass(frozen=True)
class Agent:
    name: str
    queue: str
    task_id: str
    action: str
    handle_batch: Callable[[dict[str, Any], Any], dict[str, Any]]
    home: Path
    codegen: dict[str, Any]  # codegen's outputs the task points at (a real artifact in S3)

    def task(self, workflow_id: str, attempt: int = 1) -> TaskCreated:
        return task_created(
            self.name,
            workflow_id=workflow_id,
            task_id=self.task_id,
            action=self.action,
            attempt=attempt,
            parameters=PARAMETERS,
            config={"slo": {"p95_latency_ms": 5000, "max_error_rate": 0.1, "requests": 1}},
            upstream={
                "codegen": self.codegen,
                "deploy": {
                    "deployment_id": "dep-forged",
                    "service_name": "forged-svc",
                    "environment": "dev",
                    "version": "a" * 40,
                    "url": "http://127.0.0.1:9",
                    "target": "local-process",
                    "duration_seconds": 1.0,
                },
            },
        )


@pytest.fixture(params=["codegen", "policy", "deployment", "observability"])
def agent(
    request: pytest.FixtureRequest,
    aws_settings: CommonSettings,
    aws_clients: AwsClients,
    empty_queues: dict[str, str],
    tmp_path: Path,
) -> Iterator[Agent]:
    """The real consumer of one task queue, built by its service's bootstrap against the local AWS."""
    common: dict[str, Any] = {
        "agentic_env": "test",
        "aws_endpoint_url": aws_settings.aws_endpoint_url,
        "agentic_home": tmp_path,
    }
    name, codegen = request.param, _artifact(aws_clients)
    if name == "deployment":
        service = build_deployment(DeploymentSettings(**common))
        handle = service.consumer.handle_batch
        try:
            yield Agent(name, "deployment-tasks", "deploy", "deploy", handle, tmp_path, codegen)
        finally:
            service.target.stop_all()
        return
    builders: dict[str, tuple[str, str, Callable[[], Any]]] = {
        "codegen": ("codegen", "generate", lambda: build_codegen(CodegenSettings(**common))),
        "policy": ("policy", "scan-repository", lambda: build_policy(PolicySettings(**common))),
        "observability": ("verify", "verify", lambda: build_observability(CommonSettings(**common))),
    }
    task_id, action, build = builders[name]
    [queue] = default_topology().queues_of(name)  # codegen's is its FIFO queue, behind the pipe
    yield Agent(name, queue.name, task_id, action, build().handle_batch, tmp_path, codegen)


def _artifact(clients: AwsClients) -> dict[str, Any]:
    """A generated repository (an unpinned base image) stored as codegen stores it: work to do, if run."""
    files = {"Dockerfile": b'FROM python:latest\nCMD ["python"]\n', "README.md": b"# forged-svc\n"}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    data = buffer.getvalue()
    bucket, key = "agentic-test-agent-artifacts", f"workflows/forged-{uuid.uuid4().hex[:8]}/forged-svc.tar.gz"
    clients.client("s3").put_object(Bucket=bucket, Key=key, Body=data)
    artifact = {
        "bucket": bucket,
        "key": key,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size_bytes": len(data),
    }
    return {
        "service_name": "forged-svc",
        "repo_url": "https://git.example.com/attacker/forged-svc.git",
        "commit": "a" * 40,
        "branch": "main",
        "artifact": artifact,
        "files": len(files),
    }


def _deliver(agent: Agent, task: TaskCreated, queues: dict[str, str], sqs: Any) -> int:
    """Put the task on the agent's queue and let its consumer take one receive of it.

    Returns how many messages the queue held before: messages other tests of this worker left in flight
    (received, not deleted, invisible for a visibility timeout) cannot be drained, so "it left the queue"
    is "the queue holds what it held before".
    """
    before = _counts(sqs, queues[agent.queue])
    fifo = {"MessageGroupId": task.order_key, "MessageDeduplicationId": task.event_id}
    sqs.send_message(
        QueueUrl=queues[agent.queue],
        MessageBody=eventbridge_body(task, "planner"),
        **(fifo if agent.queue.endswith(".fifo") else {}),
    )
    poller = QueuePoller(sqs, queues[agent.queue], agent.handle_batch, "us-east-1", wait_seconds=2)
    messages = poller.receive()
    assert len(messages) == 1
    poller.handle(messages)
    return before


def _messages(sqs: Any, url: str) -> list[dict[str, Any]]:
    return sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, MessageAttributeNames=["All"]
    ).get("Messages", [])


def _counts(sqs: Any, url: str) -> int:
    """Messages on the queue, visible or in flight."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(counts[name]) for name in names)


def _left_the_queue(sqs: Any, url: str, before: int) -> bool:
    """Deleted, not merely invisible for a while: the queue holds what it held before it came."""
    return _counts(sqs, url) == before


def _mentions(clients: AwsClients, table: str, workflow_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = clients.client("dynamodb").scan(TableName=table)["Items"]
    return [item for item in items if workflow_id in json.dumps(item)]


def _nothing_happened_outside(
    agent: Agent, workflow_id: str, queues: dict[str, str], clients: AwsClients
) -> None:
    sqs = clients.client("sqs")
    for queue in ("planner-events", "remediation-events"):  # no result, no violation, no anomaly
        bodies = [json.loads(m["Body"]) for m in _messages(sqs, queues[queue])]
        assert [b["detail-type"] for b in bodies if b["detail"].get("workflow_id") == workflow_id] == []
    for table in ("deployments", "policy-decisions", "policy-violations", "idempotency"):
        assert _mentions(clients, f"agentic-test-{table}", workflow_id) == []  # no deploy, decision, claim
    assert not (agent.home / "git").exists() or not any((agent.home / "git").rglob("forged-svc*"))  # no push


def test_a_forged_task_for_an_unknown_workflow_is_dead_lettered_with_the_reason_and_changes_nothing(
    agent: Agent, empty_queues: dict[str, str], aws_clients: AwsClients
) -> None:
    # Given a task.created for a workflow the planner never created
    sqs = aws_clients.client("sqs")
    forged = agent.task(f"wf-forged-{uuid.uuid4().hex[:8]}")

    # When it is put on the agent's task queue and its consumer receives it once
    before = _deliver(agent, forged, empty_queues, sqs)

    # Then it is in the queue's DLQ at once, with a reason that says who refused it and why
    [dead] = _messages(sqs, empty_queues[default_topology().queue(agent.queue).dlq_name])
    assert json.loads(dead["Body"])["detail"]["workflow_id"] == forged.workflow_id
    reason = dead["MessageAttributes"]["reason"]["StringValue"]
    assert reason == (
        f"task.created refused by {agent.name}: workflow {forged.workflow_id} has no task {agent.task_id}: "
        f"the planner never created it; {agent.name} runs only tasks the planner dispatched"
    )
    # And it left the task queue
    assert _left_the_queue(sqs, empty_queues[agent.queue], before)
    # And nothing happened outside
    _nothing_happened_outside(agent, forged.workflow_id, empty_queues, aws_clients)


def test_a_late_attempt_of_a_known_task_is_dropped_without_a_dead_letter_or_an_effect(
    agent: Agent, empty_queues: dict[str, str], aws_clients: AwsClients
) -> None:
    # Given the planner timed attempt 1 out and now runs attempt 2 of the agent's task
    sqs = aws_clients.client("sqs")
    workflow_id = f"wf-late-{uuid.uuid4().hex[:8]}"
    workflows = DynamoDBStateStore(aws_clients.client("dynamodb"), "agentic-test-workflows")
    dispatched(workflows, workflow_id, agent.task_id, attempt=2, agent=agent.name)

    # When attempt 1's message comes back on the agent's queue
    before = _deliver(agent, agent.task(workflow_id, attempt=1), empty_queues, sqs)

    # Then it is acknowledged: gone from the queue, not dead-lettered
    assert _left_the_queue(sqs, empty_queues[agent.queue], before)
    assert _messages(sqs, empty_queues[default_topology().queue(agent.queue).dlq_name]) == []
    # And nothing happened outside
    _nothing_happened_outside(agent, workflow_id, empty_queues, aws_clients)
