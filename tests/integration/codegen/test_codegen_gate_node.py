"""Quality gate for the Node.js (Express) templates: every catalogue combination, installed and run for real.

For each database x pattern the repository is rendered to a temporary directory, and:
- ``npm ci`` installs exactly the generated ``package-lock.json`` into a fresh ``node_modules`` (npm
  registry, through the suite's npm download cache ``tests.tools.npm_cache_root()``, kept across runs
  and clones: a fresh environment from a warm cache), and the service's own ``npm test`` (Node's test
  runner) and ``npm run lint`` (ESLint) pass;
- the Dockerfile has no hadolint finding;
- the service is started (``node src/server.js``) and must answer /health, /ready and /metrics and stop
  with exit code 0 on SIGTERM. A record written through the REST API, or sent to the consumer's SQS queue
  (moto), must reach the data store: a DynamoDB table in moto, or a throwaway PostgreSQL 15 or Redis
  server started by the test (``tests/local_servers.py``; read back with psql or redis-cli). Pointed at
  a closed port instead, a PostgreSQL or Redis service answers /ready with 503 and the driver's reason.
Node, npm, PostgreSQL and Redis are located by ``tests/tools.py``: a missing one fails the test with
the command that installs it (``make tools`` installs PostgreSQL and Redis).
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from agentic_checks.hadolint import run_hadolint
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_local.moto_server import free_port

from tests.integration.codegen.running_service import RunningService
from tests.local_servers import psql, redis_cli, wait_until
from tests.tools import locate, npm_cache_root

DATABASES = ("none", "postgresql", "dynamodb", "redis")
PATTERNS = ("rest", "event")
EXTRA_RESOURCES = [
    {
        "name": "order",
        "fields": [
            {"name": "customer", "type": "string", "required": True},
            {"name": "quantity", "type": "integer", "required": True},
            {"name": "total", "type": "number"},
            {"name": "paid", "type": "boolean"},
        ],
    },
    {
        "name": "customer",
        "plural": "customers",
        "fields": [{"name": "email", "type": "string", "required": True}],
    },
]
"""PostgreSQL combinations render these two resources (every field type) instead of the default one."""

SERVICE = "orders-svc"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def npm_cache() -> Path:
    return npm_cache_root()


def _render(tmp_path: Path, **parameters: Any) -> tuple[dict[str, bytes], Path, dict[str, Any]]:
    """The rendered files, where they were written, and the first resource (as the templates saw it)."""
    params = parse_parameters({"serviceName": SERVICE, "language": "node", **parameters})
    files = TemplateRenderer().render(params)
    repo = tmp_path / SERVICE
    for path, content in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(content)
    return files, repo, params.resources[0].model_dump()


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
        [str(locate("npm")), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
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


def _moto_env(request: pytest.FixtureRequest) -> dict[str, str]:
    url = request.getfixturevalue("moto_server").url
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }


def _store_env(request: pytest.FixtureRequest, database: str, pattern: str, name: str) -> dict[str, str]:
    """Where the service keeps records (moto DynamoDB, a local PostgreSQL or Redis server); its queue."""
    env = _moto_env(request) if pattern == "event" or database == "dynamodb" else {}
    clients = request.getfixturevalue("aws_clients") if env else None
    if pattern == "event":
        env["QUEUE_URL"] = clients.client("sqs").create_queue(QueueName=name)["QueueUrl"]
        env["POLL_WAIT_SECONDS"] = "1"
    if database == "dynamodb":
        clients.client("dynamodb").create_table(
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        )
        env["DYNAMODB_TABLE"] = name
    elif database == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    elif database == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    return env


CLOSED_PORT_ENV = {
    "postgresql": lambda port: {"DATABASE_URL": f"postgresql://app@127.0.0.1:{port}/app"},
    "redis": lambda port: {"REDIS_URL": f"redis://127.0.0.1:{port}/0"},
}
"""The store setting of a service whose database server is not there."""


def _stored(request: pytest.FixtureRequest, env: dict[str, str], collection: str, key: str) -> Any:
    """The record as the data store holds it (read with boto3, psql or redis-cli), or None."""
    if "DYNAMODB_TABLE" in env:
        item = (
            request.getfixturevalue("aws_clients")
            .client("dynamodb")
            .get_item(TableName=env["DYNAMODB_TABLE"], Key={"pk": {"S": f"{collection}#{key}"}})
            .get("Item")
        )
        return json.loads(item["body"]["S"]) if item else None
    if "REDIS_URL" in env:
        value = redis_cli(env["REDIS_URL"], "HGET", f"{SERVICE}:{collection}", key)
        return json.loads(value) if value else None
    query = "SELECT body FROM :\"table\" WHERE id = :'id';"
    row = psql(env["DATABASE_URL"], query, table=collection, id=key)
    return json.loads(row) if row else None


def _sample(resource: dict[str, Any]) -> dict[str, Any]:
    values = {"string": "sample", "integer": 3, "number": 1.5, "boolean": True}
    return {field["name"]: values[field["type"]] for field in resource["fields"]}


def _write_and_read_back(
    request: pytest.FixtureRequest, service: RunningService, env: dict[str, str], resource: dict[str, Any]
) -> None:
    """A record written through the API (REST) or the queue (event) reaches the data store."""
    plural = resource["plural"]
    if "QUEUE_URL" not in env:
        created = httpx.post(f"{service.url}/v1/{plural}", json=_sample(resource), timeout=5)
        assert created.status_code == 201, created.text
        expected, key = created.json(), created.json()["id"]
        assert httpx.get(f"{service.url}/v1/{plural}/{key}", timeout=5).json() == expected
    else:
        sqs = request.getfixturevalue("aws_clients").client("sqs")
        message = {"type": f"{resource['name']}.upserted", "id": "r-1", "data": _sample(resource)}
        sqs.send_message(QueueUrl=env["QUEUE_URL"], MessageBody=json.dumps(message))
        sqs.send_message(QueueUrl=env["QUEUE_URL"], MessageBody="not json")
        # both counted, in either order: the consumer may take the two messages in separate receives
        counted = ('messages_total{outcome="invalid"} 1', 'messages_total{outcome="handled"} 1')
        metrics = wait_until(lambda: _metrics_once_counted(service, *counted))
        assert all(line in metrics for line in counted)
        expected, key = {"id": "r-1", **_sample(resource)}, "r-1"
    if env.keys() & {"DYNAMODB_TABLE", "DATABASE_URL", "REDIS_URL"}:
        assert _stored(request, env, plural, key) == expected


def _metrics_once_counted(service: RunningService, *lines: str) -> str | None:
    text = httpx.get(f"{service.url}/metrics", timeout=5).text
    return text if all(line in text for line in lines) else None


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("database", DATABASES)
def test_a_generated_node_service_installs_from_its_lock_passes_its_tests_and_runs(
    request: pytest.FixtureRequest, tmp_path: Path, npm_cache: Path, database: str, pattern: str
) -> None:
    # Given a Node service rendered for this database and pattern
    resources = {"resources": EXTRA_RESOURCES} if database == "postgresql" else {}
    files, repo, first_resource = _render(tmp_path, database=database, pattern=pattern, **resources)
    assert ("src/consumer.js" in files) == (pattern == "event")
    assert ("src/routes/crud.js" in files) == (pattern == "rest")

    # When npm ci installs exactly its lock file, Then npm test and npm run lint pass
    _install_test_and_lint(repo, npm_cache)
    # And its Dockerfile has no hadolint finding at all
    assert run_hadolint(files["Dockerfile"]) == []

    # And started, it serves health, readiness and metrics with its database client wired
    env = _base_env(**_store_env(request, database, pattern, f"codegen-node-{uuid.uuid4().hex[:8]}"))
    service = RunningService([str(locate("node")), "src/server.js"], repo, env)
    try:
        service.wait_healthy()
        ready = httpx.get(f"{service.url}/ready", timeout=10)
        assert "http_requests_total" in httpx.get(f"{service.url}/metrics", timeout=5).text
        kind = "memory" if database == "none" else database
        assert ready.json() == {"status": "ready", "database": kind}
        # And what it is given through its API or queue reaches the data store
        _write_and_read_back(request, service, env, first_resource)
        # And SIGTERM stops it with exit code 0, its last JSON log line saying so
        code, logs = service.terminate()
        assert code == 0, logs
        assert logs[-1]["message"] == "stopped"
        assert {entry["service"] for entry in logs} == {SERVICE}
    finally:
        service.kill()

    # And pointed at a database server that is not there, it is not ready and says why
    if database in CLOSED_PORT_ENV:
        _assert_not_ready_without_its_server(repo, database)


def _assert_not_ready_without_its_server(repo: Path, database: str) -> None:
    env = _base_env(**CLOSED_PORT_ENV[database](free_port()))
    service = RunningService([str(locate("node")), "src/server.js"], repo, env)
    try:
        service.wait_healthy()
        ready = httpx.get(f"{service.url}/ready", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["reason"].startswith("repository: ")
    finally:
        service.kill()
