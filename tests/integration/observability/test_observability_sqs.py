"""The observability consumer against the local AWS (moto) and a real service on loopback."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.consumer import Consumer
from agentic_common.events.tasks import TaskCreated
from agentic_common.settings import CommonSettings
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_observability import bootstrap

from tests.helpers import dispatched, eventbridge_body, sqs_event, task_created

if TYPE_CHECKING:
    from conftest import RunningService


def _task(url: str, aws_clients: AwsClients) -> TaskCreated:
    """A verify task the planner dispatched (recorded as running in the workflows state)."""
    workflow_id = f"wf-{uuid.uuid4().hex[:12]}"
    workflows = DynamoDBStateStore(aws_clients.client("dynamodb"), "agentic-test-workflows")
    dispatched(workflows, workflow_id, task_id="verify", agent="observability")
    deploy = {
        "deployment_id": "dep-1",
        "service_name": "orders",
        "environment": "dev",
        "version": "abc",
        "url": url,
        "target": "local-process",
        "duration_seconds": 1.0,
    }
    return task_created(
        "observability",
        workflow_id=workflow_id,
        config={"slo": {"p95_latency_ms": 5000, "max_error_rate": 0.1, "requests": 10}},
        upstream={"deploy": deploy},
    )


def _sqs_event(task: TaskCreated) -> dict[str, Any]:
    return sqs_event(eventbridge_body(task, "planner"))


def _events_of(sqs: Any, url: str, workflow_id: str) -> list[dict[str, Any]]:
    """The EventBridge events on a queue for one workflow (received until an empty long poll)."""
    found: list[dict[str, Any]] = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
        "Messages"
    ):
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            event = json.loads(message["Body"])
            if event["detail"].get("workflow_id") == workflow_id and event["detail-type"] != "task.started":
                found.append(event)
    return found


@pytest.fixture
def consumer(aws_settings: CommonSettings, queue_urls: dict[str, str]) -> Consumer:
    return bootstrap.build(aws_settings)


def test_a_healthy_deployment_completes_the_verify_task(
    consumer: Consumer, health_service: RunningService, aws_clients: AwsClients, queue_urls: dict[str, str]
) -> None:
    # Given a verify task for a healthy service
    task = _task(health_service.url, aws_clients)
    # When
    result = consumer.handle_batch(_sqs_event(task))
    # Then the planner hears task.completed with verified outputs
    assert result["batchItemFailures"] == []
    [completed] = _events_of(aws_clients.client("sqs"), queue_urls["planner-events"], task.workflow_id)
    assert completed["detail-type"] == "task.completed"
    assert completed["detail"]["outputs"]["verified"] is True
    assert completed["detail"]["outputs"]["measurements"]["requests"] == 10
    assert health_service.behaviour.seen.count("/health") == 10
    assert "/metrics" in health_service.behaviour.seen  # scraped too (404 here: judged by the probe alone)


def test_a_breach_fails_the_task_and_raises_an_anomaly_for_remediation(
    consumer: Consumer, health_service: RunningService, aws_clients: AwsClients, queue_urls: dict[str, str]
) -> None:
    # Given a service failing every other request (50% > the 10% allowed)
    health_service.behaviour.fail_every = 2
    task = _task(health_service.url, aws_clients)
    # When
    consumer.handle_batch(_sqs_event(task))
    # Then the planner hears task.failed, and remediation hears the anomaly and the failure
    sqs = aws_clients.client("sqs")
    [failed] = _events_of(sqs, queue_urls["planner-events"], task.workflow_id)
    assert failed["detail-type"] == "task.failed"
    assert failed["detail"]["retryable"] is False
    assert "error rate 50.0% exceeds the SLO of 10.0%" in failed["detail"]["error"]
    to_remediation = _events_of(sqs, queue_urls["remediation-events"], task.workflow_id)
    assert sorted(e["detail-type"] for e in to_remediation) == ["anomaly.detected", "task.failed"]
