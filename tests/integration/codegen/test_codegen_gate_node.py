"""Quality gate for the Node.js (Express) templates: every catalogue combination, installed and run for real.

For each database x pattern the repository is rendered to a temporary directory, and:
- ``npm ci`` installs exactly the generated ``package-lock.json`` (npm registry, through an npm cache
  kept in the pytest cache), and the service's own ``npm test`` (Node's test runner) and
  ``npm run lint`` (ESLint) pass;
- the Dockerfile has no hadolint finding;
- the service is started (``node src/server.js``) and must answer /health, /ready and /metrics and stop
  with exit code 0 on SIGTERM. On DynamoDB it runs against the local AWS (moto): records written through
  the REST API, or sent to the consumer's SQS queue, land in the table. On PostgreSQL and Redis it is
  pointed at a closed port: /ready must answer 503 with the driver's reason (the client is wired).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from agentic_checks.hadolint import run_hadolint
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer

DATABASES = ("none", "postgresql", "dynamodb", "redis")
PATTERNS = ("rest", "event")
EXTRA_RESOURCES = [
    {"name": "order", "fields": [
        {"name": "customer", "type": "string", "required": True},
        {"name": "quantity", "type": "integer", "required": True},
        {"name": "total", "type": "number"},
        {"name": "paid", "type": "boolean"},
    ]},
    {"name": "customer", "plural": "customers",
     "fields": [{"name": "email", "type": "string", "required": True}]},
]
"""PostgreSQL combinations render these two resources (every field type) instead of the default one."""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed"),
]

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(probe: Callable[[], T | None], seconds: float = 20) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := probe()) is not None:
            return value
        time.sleep(0.25)
    raise AssertionError(f"nothing came within {seconds} s")


class RunningService:
    """``node src/server.js`` on a free loopback port, with exactly the environment given."""

    def __init__(self, repo: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            ["node", "src/server.js"], cwd=repo, env={**env, "PORT": str(self.port)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def _health(self) -> bool | None:
        assert self.process.poll() is None, self.process.communicate()
        try:
            return httpx.get(f"{self.url}/health", timeout=1).status_code == 200 or None
        except httpx.TransportError:
            return None

    def wait_healthy(self) -> None:
        wait_until(self._health, seconds=30)

    def terminate(self) -> tuple[int, list[dict[str, Any]]]:
        self.process.send_signal(signal.SIGTERM)
        stdout, _ = self.process.communicate(timeout=20)
        return self.process.returncode, [json.loads(line) for line in stdout.splitlines() if line.strip()]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


@pytest.fixture(scope="module")
def npm_cache(pytestconfig: pytest.Config) -> Path:
    return Path(pytestconfig.cache.mkdir("codegen-node-npm-cache"))


def _render(tmp_path: Path, **parameters: Any) -> tuple[dict[str, bytes], Path]:
    params = parse_parameters({"serviceName": "orders-svc", "language": "node", **parameters})
    files = TemplateRenderer().render(params)
    repo = tmp_path / "orders-svc"
    for path, content in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(content)
    return files, repo


def _npm(args: list[str], cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd.parent),
        "npm_config_cache": str(cache),
        "npm_config_update_notifier": "false",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
    }
    return subprocess.run(
        ["npm", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _install_test_and_lint(repo: Path, cache: Path) -> None:
    installed = _npm(["ci", "--prefer-offline"], repo, cache)
    assert installed.returncode == 0, installed.stderr[-3000:]
    tested = _npm(["test"], repo, cache)
    assert tested.returncode == 0, (tested.stdout + tested.stderr)[-6000:]
    assert "# fail 0" in tested.stdout
    linted = _npm(["run", "lint"], repo, cache)
    assert linted.returncode == 0, (linted.stdout + linted.stderr)[-3000:]


def _base_env(**extra: str) -> dict[str, str]:
    path = os.environ.get("PATH", "/usr/bin:/bin")
    return {"PATH": path, "LOG_LEVEL": "info", "ENVIRONMENT": "test", **extra}


def _aws_env(request: pytest.FixtureRequest, pattern: str) -> tuple[dict[str, str], str]:
    """Moto settings, a fresh table (hash key pk) and, for a consumer, a queue; returns env and table."""
    moto = request.getfixturevalue("moto_server")
    clients = request.getfixturevalue("aws_clients")
    table = f"codegen-node-{uuid.uuid4().hex[:8]}"
    clients.client("dynamodb").create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    env = _base_env(AWS_ENDPOINT_URL=moto.url, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="testing",
                    AWS_SECRET_ACCESS_KEY="testing", DYNAMODB_TABLE=table)
    if pattern == "event":
        env["QUEUE_URL"] = clients.client("sqs").create_queue(QueueName=table)["QueueUrl"]
        env["POLL_WAIT_SECONDS"] = "1"
    return env, table


def _stored(request: pytest.FixtureRequest, table: str, key: str) -> dict[str, Any] | None:
    item = request.getfixturevalue("aws_clients").client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": key}}
    ).get("Item")
    return json.loads(item["body"]["S"]) if item else None


def _exercise_dynamodb(
    request: pytest.FixtureRequest, service: RunningService, pattern: str, table: str
) -> None:
    assert httpx.get(f"{service.url}/ready", timeout=5).json()["status"] == "ready"
    if pattern == "rest":
        created = httpx.post(f"{service.url}/v1/items", json={"name": "first"}, timeout=5)
        assert created.status_code == 201
        assert _stored(request, table, f"items#{created.json()['id']}") == created.json()
        assert httpx.get(f"{service.url}/v1/items", timeout=5).json() == [created.json()]
        return
    sqs = request.getfixturevalue("aws_clients").client("sqs")
    queue_url = sqs.get_queue_url(QueueName=table)["QueueUrl"]
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
        {"type": "item.upserted", "id": "r-1", "data": {"name": "from the queue"}}))
    sqs.send_message(QueueUrl=queue_url, MessageBody="not json")
    assert wait_until(lambda: _stored(request, table, "items#r-1")) == {"id": "r-1", "name": "from the queue"}
    metrics = wait_until(lambda: _metrics_once_counted(service, 'messages_total{outcome="invalid"} 1'))
    assert 'messages_total{outcome="handled"} 1' in metrics


def _metrics_once_counted(service: RunningService, line: str) -> str | None:
    text = httpx.get(f"{service.url}/metrics", timeout=5).text
    return text if line in text else None


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("database", DATABASES)
def test_a_generated_node_service_installs_from_its_lock_passes_its_tests_and_runs(
    request: pytest.FixtureRequest, tmp_path: Path, npm_cache: Path, database: str, pattern: str
) -> None:
    # Given a Node service rendered for this database and pattern
    resources = {"resources": EXTRA_RESOURCES} if database == "postgresql" else {}
    files, repo = _render(tmp_path, database=database, pattern=pattern, **resources)
    assert ("src/consumer.js" in files) == (pattern == "event")
    assert ("src/routes/crud.js" in files) == (pattern == "rest")

    # When npm ci installs exactly its lock file, Then npm test and npm run lint pass
    _install_test_and_lint(repo, npm_cache)
    # And its Dockerfile has no hadolint finding at all
    assert run_hadolint(files["Dockerfile"]) == []

    # And started, it serves health, readiness and metrics with its {database} client wired
    table = ""
    if database == "dynamodb":
        env, table = _aws_env(request, pattern)
    elif database == "postgresql":
        env = _base_env(DATABASE_URL=f"postgresql://app@127.0.0.1:{free_port()}/app")
    elif database == "redis":
        env = _base_env(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    else:
        env = _base_env()
    service = RunningService(repo, env)
    try:
        service.wait_healthy()
        ready = httpx.get(f"{service.url}/ready", timeout=10)
        assert "http_requests_total" in httpx.get(f"{service.url}/metrics", timeout=5).text
        if database in ("postgresql", "redis"):
            assert ready.status_code == 503
            assert ready.json()["reason"].startswith("repository: ")
        elif database == "dynamodb":
            _exercise_dynamodb(request, service, pattern, table)
        else:
            assert ready.json() == {"status": "ready", "database": "memory"}
        # And SIGTERM stops it with exit code 0, its last JSON log line saying so
        code, logs = service.terminate()
        assert code == 0, logs
        assert logs[-1]["message"] == "stopped"
        assert {entry["service"] for entry in logs} == {"orders-svc"}
    finally:
        service.kill()
