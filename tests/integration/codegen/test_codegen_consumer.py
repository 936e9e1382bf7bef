"""The codegen consumer end to end on the local AWS (moto): SQS event in, S3 artifact and events out."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agentic_codegen import handler
from agentic_codegen.bootstrap import build
from agentic_codegen.settings import CodegenSettings
from agentic_common.aws import AwsClients
from agentic_common.events.codegen import CodegenOutputs
from agentic_common.events.tasks import TaskCreated
from agentic_common.settings import CommonSettings
from agentic_common.state.dynamodb import DynamoDBStateStore

from tests.helpers import dispatched, task_created

MAX_RECEIVES = 20


def _task(workflow_id: str) -> TaskCreated:
    return task_created(
        "codegen",
        workflow_id=workflow_id,
        timeout_seconds=600,
        template="microservice-postgresql",
        parameters={"serviceName": "orders", "database": "postgresql", "environment": "dev"},
    )


def _planned(aws_clients: AwsClients, workflow_id: str) -> str:
    """The planner's record of the workflow, running attempt 1 of its codegen task."""
    dispatched(DynamoDBStateStore(aws_clients.client("dynamodb"), "agentic-test-workflows"), workflow_id)
    return workflow_id


def _sqs_event(task: TaskCreated) -> dict[str, Any]:
    body = {
        "version": "0",
        "id": "x",
        "detail-type": "task.created",
        "source": "agentic.planner",
        "account": "",
        "time": "2025-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": task.model_dump(mode="json"),
    }
    record = {
        "messageId": f"msg-{task.workflow_id}",
        "receiptHandle": "receipt",
        "body": json.dumps(body),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "0",
            "SenderId": "events",
            "ApproximateFirstReceiveTimestamp": "0",
        },
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:agentic-test-codegen-tasks",
        "awsRegion": "us-east-1",
    }
    return {"Records": [record]}


def _task_results(aws_clients: AwsClients, queue_url: str, workflow_id: str) -> list[dict[str, Any]]:
    """Read the planner's queue until this workflow's events arrive; others' messages are put back at once."""
    sqs = aws_clients.client("sqs")
    for _ in range(MAX_RECEIVES):
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        mine = []
        for message in messages.get("Messages", []):
            event = json.loads(message["Body"])
            if event["detail"].get("workflow_id") == workflow_id:
                if event["detail-type"] != "task.started":  # the agent's start report, not a result
                    mine.append(event)
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            else:
                sqs.change_message_visibility(
                    QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
        if mine:
            return mine
    return []


@pytest.fixture
def settings(aws_settings: CommonSettings, tmp_path: Path) -> CodegenSettings:
    return CodegenSettings(
        agentic_env="test", agentic_home=tmp_path, aws_endpoint_url=aws_settings.aws_endpoint_url
    )


@pytest.fixture
def handler_env(settings: CodegenSettings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AGENTIC_ENV", settings.agentic_env)
    monkeypatch.setenv("AGENTIC_HOME", str(settings.agentic_home))
    monkeypatch.setenv("AGENTIC_GIT_NAMESPACE", "handler-tests")
    handler._consumer.cache_clear()
    yield
    handler._consumer.cache_clear()


def test_a_task_stores_the_artifact_pushes_the_repo_and_reports_completion(
    settings: CodegenSettings, aws_clients: AwsClients, empty_queues: dict[str, str]
) -> None:
    # Given the codegen consumer built from settings against the local AWS
    consumer = build(settings)
    workflow_id = _planned(aws_clients, f"wf-{uuid.uuid4().hex[:12]}")

    # When an SQS batch with one task.created for codegen is handled
    response = consumer.handle_batch(_sqs_event(_task(workflow_id)), None)

    # Then no record failed
    assert response == {"batchItemFailures": []}

    # And the planner receives task.completed with the outputs
    [result] = _task_results(aws_clients, empty_queues["planner-events"], workflow_id)
    assert result["detail-type"] == "task.completed"
    outputs = CodegenOutputs.model_validate(result["detail"]["outputs"])
    assert outputs.service_name == "orders"
    assert outputs.repo_url == (settings.agentic_home / "git" / "services" / "orders.git").resolve().as_uri()

    # And the artifact is in S3 under the workflow, with the digest the outputs carry
    s3 = aws_clients.client("s3")
    assert outputs.artifact.bucket == "agentic-test-agent-artifacts"
    assert outputs.artifact.key == f"workflows/{workflow_id}/orders.tar.gz"
    stored = s3.get_object(Bucket=outputs.artifact.bucket, Key=outputs.artifact.key)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == outputs.artifact.sha256


def test_the_lambda_handler_builds_from_the_environment_and_handles_a_batch(
    handler_env: None, settings: CodegenSettings, aws_clients: AwsClients, empty_queues: dict[str, str]
) -> None:
    # Given the Lambda entry point configured only through environment variables
    workflow_id = _planned(aws_clients, f"wf-{uuid.uuid4().hex[:12]}")

    # When it handles an SQS batch
    response = handler.lambda_handler(_sqs_event(_task(workflow_id)), None)

    # Then the task completes and the repository lands in the configured namespace
    assert response == {"batchItemFailures": []}
    [result] = _task_results(aws_clients, empty_queues["planner-events"], workflow_id)
    assert result["detail-type"] == "task.completed"
    assert result["detail"]["outputs"]["repo_url"].endswith("/handler-tests/orders.git")
