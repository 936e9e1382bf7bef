"""A harness for policy integration tests on the local AWS (moto): it uploads artifacts, feeds
SQS-shaped events to the real consumer and reads queues and the policy-violations table."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agentic_common.agent import claim_key
from agentic_common.aws import AwsClients
from agentic_common.consumer import Consumer
from agentic_common.events.tasks import TaskCreated
from agentic_common.settings import CommonSettings
from agentic_common.state.dynamodb import DynamoDBStateStore

from tests import helpers
from tests.helpers import task_created

CLEAN_REPO = {
    "Dockerfile": (
        b"FROM python:3.11.10-slim\nRUN useradd --create-home app\nCOPY app/ /srv/app/\nUSER app\n"
        b'HEALTHCHECK CMD ["python", "-c", "import urllib.request as u; u.urlopen(\'http://localhost:8000/health\')"]\n'
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
            info = tarfile.TarInfo(f"payments-api/{path}")
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def sqs_event(task: TaskCreated) -> dict[str, Any]:
    """What Lambda passes the handler for one policy-tasks message carrying ``task``."""
    return helpers.sqs_event(helpers.eventbridge_body(task, "planner"))


@dataclass
class PolicyHarness:
    consumer: Consumer
    settings: CommonSettings
    clients: AwsClients
    queue_urls: dict[str, str]

    def task(self, files: Mapping[str, bytes], environment: str) -> TaskCreated:
        """Upload ``files`` as codegen's tarball and return a policy task for it (a fresh workflow,
        whose policy task the planner has dispatched: agents run only tasks the planner created)."""
        workflow_id = f"wf-{uuid.uuid4().hex[:12]}"
        workflows = DynamoDBStateStore(self.clients.client("dynamodb"), self.settings.name("workflows"))
        helpers.dispatched(workflows, workflow_id, task_id="policy", agent="policy")
        data = tarball(files)
        bucket, key = self.settings.name("agent-artifacts"), f"workflows/{workflow_id}/payments-api.tar.gz"
        self.clients.client("s3").put_object(Bucket=bucket, Key=key, Body=data)
        sha256 = hashlib.sha256(data).hexdigest()
        codegen = {
            "service_name": "payments-api",
            "repo_url": "file:///repos/payments-api.git",
            "commit": "a" * 40,
            "branch": "main",
            "artifact": {"bucket": bucket, "key": key, "sha256": sha256, "size_bytes": len(data)},
            "files": len(files),
        }
        return task_created(
            "policy",
            workflow_id=workflow_id,
            parameters={"serviceName": "payments-api", "language": "python", "environment": environment},
            upstream={"codegen": codegen},
        )

    def handle(self, task: TaskCreated) -> dict[str, Any]:
        return self.consumer.handle_batch(sqs_event(task), None)

    def received(self, queue: str, workflow_id: str, expected: int) -> list[str]:
        """Detail types for ``workflow_id`` on a queue (deleted as read), waiting for ``expected`` of them."""
        sqs, url = self.clients.client("sqs"), self.queue_urls[queue]
        found: list[str] = []
        for _ in range(10):
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            for message in messages.get("Messages", []):
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                event = json.loads(message["Body"])
                if (
                    event["detail"].get("workflow_id") == workflow_id
                    and event["detail-type"] != "task.started"
                ):
                    found.append(event["detail-type"])
            if len(found) >= expected:
                break
        return found

    def violation_items(self, workflow_id: str) -> list[dict[str, Any]]:
        response = self.clients.client("dynamodb").scan(
            TableName=self.settings.name("policy-violations"),
            FilterExpression="workflow_id = :w",
            ExpressionAttributeValues={":w": {"S": workflow_id}},
        )
        items: list[dict[str, Any]] = response["Items"]
        return items

    def forget_claim(self, task: TaskCreated) -> None:
        """Drop the idempotency claim, as if the first delivery's completion had been lost."""
        self.clients.client("dynamodb").delete_item(
            TableName=self.settings.name("idempotency"),
            Key={"id": {"S": claim_key(task)}},
        )
