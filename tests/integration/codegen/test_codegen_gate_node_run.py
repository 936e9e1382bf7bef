"""The generated Node services, started for real: they serve, use AWS over the wire, and stop on SIGTERM.

Two combinations run against the local AWS (moto): a REST API on DynamoDB (records written through the
HTTP API land in the table) and an event consumer on DynamoDB (a message sent to its SQS queue becomes a
record). ``npm ci`` installs the generated lock through the npm cache the gate shares.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_common.aws import AwsClients
from agentic_local.moto_server import MotoServer

pytestmark = pytest.mark.slow
STARTUP_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _installed(tmp_path: Path, cache: Path, **parameters: str) -> Path:
    params = parse_parameters({"serviceName": "orders-svc", "language": "node", **parameters})
    repo = tmp_path / "orders-svc"
    for path, content in TemplateRenderer().render(params).items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(content)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "npm_config_cache": str(cache),
    }
    installed = subprocess.run(
        ["npm", "ci", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    return repo


class RunningService:
    def __init__(self, repo: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            ["node", "src/server.js"], cwd=repo, env={**env, "PORT": str(self.port)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.communicate()
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError("the service did not answer /health")

    def terminate(self) -> tuple[int, list[dict[str, object]]]:
        self.process.send_signal(signal.SIGTERM)
        stdout, _ = self.process.communicate(timeout=20)
        return self.process.returncode, [json.loads(line) for line in stdout.splitlines() if line.strip()]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


@pytest.fixture
def npm_cache(pytestconfig: pytest.Config) -> Path:
    return Path(pytestconfig.cache.mkdir("codegen-node-npm-cache"))


@pytest.fixture
def table(aws_clients: AwsClients) -> Iterator[str]:
    name = f"codegen-node-{uuid.uuid4().hex[:8]}"
    dynamodb = aws_clients.client("dynamodb")
    dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    yield name
    dynamodb.delete_table(TableName=name)


def _service_env(moto_server: MotoServer, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LOG_LEVEL": "info", "ENVIRONMENT": "test",
        "AWS_ENDPOINT_URL": moto_server.url, "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", **extra,
    }


def test_a_rest_service_on_dynamodb_stores_what_its_api_receives_and_stops_cleanly_on_sigterm(
    tmp_path: Path, npm_cache: Path, moto_server: MotoServer, aws_clients: AwsClients, table: str
) -> None:
    # Given the generated REST service on DynamoDB, installed from its lock and started against moto
    repo = _installed(tmp_path, npm_cache, database="dynamodb", pattern="rest")
    service = RunningService(repo, _service_env(moto_server, DYNAMODB_TABLE=table))
    try:
        service.wait_healthy()
        # When an item is created through the API
        ready = httpx.get(f"{service.url}/ready", timeout=5)
        created = httpx.post(f"{service.url}/v1/items", json={"name": "first"}, timeout=5)
        listed = httpx.get(f"{service.url}/v1/items", timeout=5)
        metrics = httpx.get(f"{service.url}/metrics", timeout=5).text
        # Then the service is ready on DynamoDB, and the record is in the table under pk "items#<id>"
        assert ready.json() == {"status": "ready", "database": "dynamodb"}
        assert created.status_code == 201
        item = aws_clients.client("dynamodb").get_item(
            TableName=table, Key={"pk": {"S": f"items#{created.json()['id']}"}}
        )["Item"]
        assert json.loads(item["body"]["S"]) == {"id": created.json()["id"], "name": "first"}
        assert listed.json() == [created.json()]
        assert 'route="/v1/items/",status="201"' in metrics or 'route="/v1/items",status="201"' in metrics
    finally:
        # And SIGTERM stops it with exit code 0 after JSON logs saying so
        if service.process.poll() is None:
            code, logs = service.terminate()
            assert code == 0
            assert logs[-1]["message"] == "stopped"
            assert all(entry["service"] == "orders-svc" for entry in logs)
        service.kill()


def test_an_event_consumer_on_dynamodb_turns_a_queued_message_into_a_record(
    tmp_path: Path, npm_cache: Path, moto_server: MotoServer, aws_clients: AwsClients, table: str
) -> None:
    # Given the generated event consumer on DynamoDB, polling its own SQS queue in moto
    sqs = aws_clients.client("sqs")
    queue_url = sqs.create_queue(QueueName=f"codegen-node-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    repo = _installed(tmp_path, npm_cache, database="dynamodb", pattern="event")
    service = RunningService(
        repo, _service_env(moto_server, DYNAMODB_TABLE=table, QUEUE_URL=queue_url, POLL_WAIT_SECONDS="1")
    )
    try:
        service.wait_healthy()
        # When an upserted message and an invalid one arrive on the queue
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
            {"type": "item.upserted", "id": "r-1", "data": {"name": "from the queue"}}))
        sqs.send_message(QueueUrl=queue_url, MessageBody="not json")
        dynamodb = aws_clients.client("dynamodb")
        deadline = time.monotonic() + 20
        item = None
        while item is None and time.monotonic() < deadline:
            item = dynamodb.get_item(TableName=table, Key={"pk": {"S": "items#r-1"}}).get("Item")
            time.sleep(0.3)
        # Then the record is stored, the consumer counts one handled and one invalid message, and is ready
        assert item is not None, "the message never reached DynamoDB"
        assert json.loads(item["body"]["S"]) == {"id": "r-1", "name": "from the queue"}
        deadline = time.monotonic() + 10
        metrics = ""
        while 'messages_total{outcome="invalid"} 1' not in metrics and time.monotonic() < deadline:
            metrics = httpx.get(f"{service.url}/metrics", timeout=5).text
            time.sleep(0.3)
        assert 'messages_total{outcome="handled"} 1' in metrics
        assert 'messages_total{outcome="invalid"} 1' in metrics
        assert httpx.get(f"{service.url}/ready", timeout=5).status_code == 200
    finally:
        # And SIGTERM stops the poll loop and the server with exit code 0
        if service.process.poll() is None:
            code, logs = service.terminate()
            assert code == 0
            assert logs[-1]["message"] == "stopped"
        service.kill()
        sqs.delete_queue(QueueUrl=queue_url)
