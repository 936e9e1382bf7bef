"""The wired worker against the local AWS: task.created on the bus → deployed service → task.completed."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from agentic_common.aws import AwsClients
from agentic_common.bus import EventBridgePublisher
from agentic_common.events.deployment import DeploymentOutputs
from agentic_common.events.tasks import TaskCreated
from agentic_common.settings import CommonSettings
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.topology import default_topology
from agentic_common.worker import Worker
from agentic_deployment.adapters.history_dynamodb import DynamoDBDeploymentHistory
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.local_release import LocalReleaseTarget
from agentic_deployment.bootstrap import DeploymentService, build
from agentic_deployment.settings import DeploymentSettings
from agentic_deployment.worker import serve
from deployment_repos import healthy_app, make_repo

from tests.helpers import dispatched, task_created

RECEIVE_ATTEMPTS = 15


@pytest.fixture
def service(
    tmp_path: Path, aws_settings: CommonSettings, empty_queues: dict[str, str]
) -> Iterator[DeploymentService]:
    settings = DeploymentSettings(
        agentic_env=aws_settings.agentic_env,
        aws_endpoint_url=aws_settings.aws_endpoint_url,
        agentic_home=tmp_path / "home",
    )
    built = build(settings)
    try:
        yield built
    finally:
        built.target.stop_all()


def a_deploy_task(workflow_id: str, repo_url: str, commit: str) -> TaskCreated:
    codegen = {
        "service_name": "orders-api", "repo_url": repo_url, "commit": commit, "branch": "main", "files": 3,
        "artifact": {"bucket": "artifacts", "key": "k", "sha256": "0" * 64, "size_bytes": 1},
    }  # fmt: skip
    return task_created(
        "deployment", workflow_id=workflow_id, timeout_seconds=120, template="microservice-postgres",
        parameters={"serviceName": "orders-api", "environment": "dev"}, upstream={"codegen": codegen},
    )  # fmt: skip


def receive(sqs: Any, url: str) -> list[dict[str, Any]]:
    for _ in range(RECEIVE_ATTEMPTS):
        messages: list[dict[str, Any]] = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        ).get("Messages", [])
        if messages:
            return messages
    return []


def task_results(sqs: Any, url: str, workflow_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(detail-type, detail) of the workflow's task results that reached the planner's queue."""
    for _ in range(RECEIVE_ATTEMPTS):
        bodies = [json.loads(m["Body"]) for m in receive(sqs, url)]
        found = [
            (b["detail-type"], b["detail"])
            for b in bodies
            if b["detail"].get("workflow_id") == workflow_id and b["detail-type"] != "task.started"
        ]
        if found:
            return found
    return []


def first_batch(worker: Worker) -> list[dict[str, Any]]:
    for _ in range(RECEIVE_ATTEMPTS):
        messages = worker.poller.receive()
        if messages:
            return messages
    return []


def test_build_wires_the_local_target_to_the_deployment_queue(service: DeploymentService) -> None:
    # Given / When the service is built from settings (fixture)
    # Then it consumes deployment-tasks, releases local processes behind a proxy, and has no orphans to reap
    assert service.consumer.queue.name == "deployment-tasks"
    assert isinstance(service.target, LocalReleaseTarget)
    assert isinstance(service.target.processes, LocalProcessTarget)
    assert service.target.reap_orphans() == 0


@pytest.mark.slow
def test_a_deploy_task_on_the_bus_runs_the_service_and_reports_task_completed(
    tmp_path: Path, service: DeploymentService, aws_settings: CommonSettings, aws_clients: AwsClients,
    empty_queues: dict[str, str],
) -> None:  # fmt: skip
    # Given a pushed service and a deploy task for it published by the planner
    repo_url, [commit] = make_repo(tmp_path / "git", healthy_app("one"))
    workflow_id = f"wf-{uuid.uuid4().hex[:12]}"
    workflows = DynamoDBStateStore(aws_clients.client("dynamodb"), aws_settings.name("workflows"))
    dispatched(workflows, workflow_id, task_id="deploy", agent="deployment")
    bus = aws_settings.name(default_topology().bus)
    EventBridgePublisher(aws_clients.client("events"), bus, "planner").publish(
        a_deploy_task(workflow_id, repo_url, commit)
    )

    # When the worker takes the message from its queue and handles it
    worker = serve(service)
    messages = first_batch(worker)
    failed = worker.poller.handle(messages)

    # Then the task completed with a URL where the service answers, and the deployment is in the history
    assert (len(messages), failed) == (1, 0)
    [(detail_type, result)] = task_results(
        aws_clients.client("sqs"), empty_queues["planner-events"], workflow_id
    )
    assert detail_type == "task.completed", result
    outputs = DeploymentOutputs.model_validate(result["outputs"])
    assert (outputs.version, outputs.target) == (commit, "local-process")
    assert httpx.get(f"{outputs.url}/health", timeout=5, trust_env=False).status_code == 200
    history = DynamoDBDeploymentHistory(aws_clients.client("dynamodb"), aws_settings.name("deployments"))
    assert [r.status for r in history.of(outputs.deployment_id)] == ["success"]


def a_deploy_of(service: str, workflow_id: str, repo_url: str, commit: str) -> TaskCreated:
    task = a_deploy_task(workflow_id, repo_url, commit)
    codegen = {**task.upstream["codegen"], "service_name": service}
    return task.model_copy(
        update={
            "upstream": {"codegen": codegen},
            "parameters": {"serviceName": service, "environment": "dev"},
        }
    )


def spans(sqs: Any, url: str, workflows: set[str]) -> dict[str, tuple[datetime, datetime]]:
    """Per workflow: (its deploy's task.started, its task.completed) times, as the agent reported them."""
    started: dict[str, datetime] = {}
    ended: dict[str, datetime] = {}
    for _ in range(RECEIVE_ATTEMPTS * 8):
        for message in receive(sqs, url):
            body = json.loads(message["Body"])
            detail = body["detail"]
            if detail.get("workflow_id") in workflows:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                into = started if body["detail-type"] == "task.started" else ended
                into[detail["workflow_id"]] = datetime.fromisoformat(
                    detail["occurred_at"].replace("Z", "+00:00")
                )
        if len(ended) == len(workflows) and len(started) == len(workflows):
            break
    return {w: (started[w], ended[w]) for w in workflows if w in started and w in ended}


def overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@pytest.mark.slow
def test_the_worker_deploys_two_services_side_by_side_and_one_service_one_deploy_at_a_time(
    tmp_path: Path, service: DeploymentService, aws_settings: CommonSettings, aws_clients: AwsClients,
    empty_queues: dict[str, str],
) -> None:  # fmt: skip
    # Given two deploys of orders-api and one of billing-api, dispatched by the planner at once
    repo_url, [commit] = make_repo(tmp_path / "git", healthy_app("one"))
    workflows = DynamoDBStateStore(aws_clients.client("dynamodb"), aws_settings.name("workflows"))
    bus = EventBridgePublisher(
        aws_clients.client("events"), aws_settings.name(default_topology().bus), "planner"
    )
    of_service = {f"wf-{uuid.uuid4().hex[:12]}": s for s in ("orders-api", "billing-api", "orders-api")}
    for workflow_id, name in of_service.items():
        dispatched(workflows, workflow_id, task_id="deploy", agent="deployment")
        bus.publish(a_deploy_of(name, workflow_id, repo_url, commit))

    # When the worker (4 deploys at once) runs until all three reported
    worker = serve(service)
    assert service.concurrency == 4
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        found = spans(aws_clients.client("sqs"), empty_queues["planner-events"], set(of_service))
    finally:
        worker.stop.set()
        thread.join()

    # Then billing-api deployed while orders-api did, and the two orders-api deploys did not overlap
    assert len(found) == 3, found
    orders = [found[w] for w, s in of_service.items() if s == "orders-api"]
    [billing] = [found[w] for w, s in of_service.items() if s == "billing-api"]
    assert not overlap(orders[0], orders[1])
    assert overlap(billing, orders[0]) or overlap(billing, orders[1])
