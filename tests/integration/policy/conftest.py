"""Fixtures for policy integration tests on the local AWS (moto): artifacts, SQS-shaped events, queues."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.consumer import Consumer
from agentic_common.events.tasks import TaskCreated
from agentic_common.settings import CommonSettings

from agentic_policy.bootstrap import build

CLEAN_REPO = {
    "Dockerfile": (
        b"FROM python:3.11.10-slim\nRUN useradd --create-home app\nCOPY app/ /srv/app/\nUSER app\n"
        b"HEALTHCHECK CMD python -c \"import urllib.request as u; u.urlopen('http://localhost:8000/health')\"\n"
        b'CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n'
    ),
    "requirements.txt": b"fastapi==0.115.6\nuvicorn==0.32.1\n",
    "app/main.py": b"from fastapi import FastAPI\n\napp = FastAPI()\n",
    "README.md": b"# payments-api\n",
    "catalog-info.yaml": b"kind: Component\nmetadata:\n  name: payments-api\nspec:\n  owner: team-payments\n",
}


def tarball(files: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, content in files.items():
            info = tarfile.TarInfo(path)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.fixture
def clean_repo() -> dict[str, bytes]:
    return dict(CLEAN_REPO)


@pytest.fixture
def policy_consumer(aws_settings: CommonSettings, queue_urls: dict[str, str]) -> Consumer:
    return build(CommonSettings(agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url))


@pytest.fixture
def policy_task(aws_settings: CommonSettings, aws_clients: AwsClients) -> Callable[..., TaskCreated]:
    """Uploads ``files`` as a tarball to the agent-artifacts bucket and returns a policy task for it."""

    def make(files: Mapping[str, bytes], environment: str) -> TaskCreated:
        workflow_id = f"wf-{uuid.uuid4().hex[:12]}"
        data = tarball(files)
        bucket, key = aws_settings.name("agent-artifacts"), f"{workflow_id}/codegen/repo.tar.gz"
        aws_clients.client("s3").put_object(Bucket=bucket, Key=key, Body=data)
        artifact = {"bucket": bucket, "key": key, "sha256": hashlib.sha256(data).hexdigest(), "size_bytes": len(data)}
        return TaskCreated(
            workflow_id=workflow_id, task_id="policy", agent="policy", action="scan-repository", attempt=1,
            timeout_seconds=300, template="microservice-postgres",
            parameters={"serviceName": "payments-api", "environment": environment},
            upstream={"codegen": {"service_name": "payments-api", "repo_url": "file:///repos/payments-api.git",
                                  "commit": "a" * 40, "branch": "main", "artifact": artifact, "files": len(files)}},
        )

    return make


def sqs_event(task: TaskCreated) -> dict[str, Any]:
    """What Lambda passes the handler for one policy-tasks message carrying ``task``."""
    body = {
        "version": "0", "id": "x", "detail-type": "task.created", "source": "agentic.planner", "account": "",
        "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [],
        "detail": task.model_dump(mode="json"),
    }
    return {"Records": [{
        "messageId": str(uuid.uuid4()), "receiptHandle": "not-deleted-by-this-test", "body": json.dumps(body),
        "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {}, "md5OfBody": "",
        "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:agentic-test-policy-tasks",
        "awsRegion": "us-east-1",
    }]}


def received(aws_clients: AwsClients, queue_url: str, workflow_id: str, expected: int) -> list[str]:
    """Detail types of the messages for ``workflow_id`` on a queue (deleted as read), in arrival order."""
    sqs = aws_clients.client("sqs")
    found: list[str] = []
    for _ in range(10):
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in messages.get("Messages", []):
            event = json.loads(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            if event["detail"].get("workflow_id") == workflow_id:
                found.append(event["detail-type"])
        if len(found) >= expected:
            break
    return found


def violation_items(aws_settings: CommonSettings, aws_clients: AwsClients, workflow_id: str) -> list[dict[str, Any]]:
    dynamodb = aws_clients.client("dynamodb")
    response = dynamodb.scan(
        TableName=aws_settings.name("policy-violations"), FilterExpression="workflow_id = :w",
        ExpressionAttributeValues={":w": {"S": workflow_id}},
    )
    items: list[dict[str, Any]] = response["Items"]
    return items


@pytest.fixture
def receive(aws_clients: AwsClients) -> Callable[[str, str, int], list[str]]:
    return lambda url, workflow_id, expected: received(aws_clients, url, workflow_id, expected)


@pytest.fixture
def table_items(aws_settings: CommonSettings, aws_clients: AwsClients) -> Callable[[str], list[dict[str, Any]]]:
    return lambda workflow_id: violation_items(aws_settings, aws_clients, workflow_id)


@pytest.fixture
def sqs_event_for() -> Callable[[TaskCreated], dict[str, Any]]:
    return sqs_event
