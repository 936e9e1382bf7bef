"""The local target runs each generated service on the store it declares: a PostgreSQL database, a Redis
server, a DynamoDB table, an SQS queue on the local AWS; the deploy is verified by one record's round
trip through the service itself, and a store that cannot be provisioned fails the deploy."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_common.aws import AwsClients
from agentic_common.environments.gates import effective_gate
from agentic_common.git.local import LocalGitHost
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.python_env import find_uv
from agentic_deployment.adapters.local.service_manifest import read_manifest
from agentic_deployment.adapters.local.stores import binaries
from agentic_deployment.adapters.local.stores.provision import LocalStores
from agentic_deployment.adapters.local.stores.redis import pong
from agentic_deployment.ports import DeployError, DeployRequest
from agentic_local.moto_server import MotoServer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def publish(tmp_path: Path, name: str, **parameters: str) -> tuple[str, str]:
    params = parse_parameters({"serviceName": name, "environment": "dev", **parameters})
    repo = LocalGitHost(tmp_path / "git", "services").publish(
        name, TemplateRenderer().render(params), "Generate"
    )
    return repo.repo_url, repo.commit


def request_for(name: str, repo_url: str, commit: str) -> DeployRequest:
    return DeployRequest(
        deployment_id=f"{name}-dev-1", workflow_id="wf-store", service_name=name, environment="dev",
        repo_url=repo_url, commit=commit, timeout_seconds=600, gate=effective_gate({}, "dev"),
    )  # fmt: skip


@pytest.fixture
def stores(tmp_path: Path, moto_server: MotoServer, aws_clients: AwsClients) -> Iterator[LocalStores]:
    stores = LocalStores(tmp_path / "home", aws_clients.client, moto_server.url)
    try:
        yield stores
    finally:
        stores.stop()


@pytest.fixture
def target(tmp_path: Path, stores: LocalStores) -> Iterator[LocalProcessTarget]:
    target = LocalProcessTarget(home=tmp_path / "home", uv=find_uv(), stores=stores)
    try:
        yield target
    finally:
        target.stop_all()


@pytest.mark.parametrize("database", ["postgresql", "redis", "dynamodb"])
def test_a_python_rest_service_keeps_its_records_in_its_declared_store_across_a_restart(
    tmp_path: Path, target: LocalProcessTarget, database: str
) -> None:
    # Given a generated Python REST service declaring the database
    name = f"orders-{database[:5]}"
    repo_url, commit = publish(tmp_path, name, database=database)
    request = request_for(name, repo_url, commit)
    # When it is deployed (the deploy writes and reads one record back before it answers)
    running = target.deploy(request)
    # Then /ready reports the declared store, not memory
    ready = httpx.get(f"{running.url}/ready", timeout=10).json()
    assert ready["store"] == database
    # And a record it stored is still there after the service is stopped and started again
    created = httpx.post(f"{running.url}/v1/items", json={"name": "ada", "description": "kept"}, timeout=10)
    assert created.status_code == 201, created.text
    item_id = created.json()["id"]
    target.stop(request.deployment_id)
    again = target.deploy(request)
    fetched = httpx.get(f"{again.url}/v1/items/{item_id}", timeout=10)
    assert fetched.status_code == 200, fetched.text
    assert fetched.json()["name"] == "ada"


@pytest.mark.parametrize(("language", "database"), [("node", "redis"), ("go", "postgresql")])
def test_node_and_go_rest_services_are_verified_on_their_declared_store(
    tmp_path: Path, target: LocalProcessTarget, language: str, database: str
) -> None:
    # Given a generated Node or Go REST service declaring the database
    name = f"{language}-{database[:5]}"
    repo_url, commit = publish(tmp_path, name, language=language, database=database)
    # When it is deployed (the deploy writes and reads one record back before it answers)
    running = target.deploy(request_for(name, repo_url, commit))
    # Then it reports the declared store and serves what it stored
    ready = httpx.get(f"{running.url}/ready", timeout=10).json()
    assert database in (ready.get("store"), ready.get("database"))
    created = httpx.post(f"{running.url}/v1/items", json={"name": "ada"}, timeout=10)
    assert created.status_code == 201, created.text
    assert httpx.get(f"{running.url}/v1/items/{created.json()['id']}", timeout=10).json()["name"] == "ada"


def test_a_go_event_consumer_on_redis_handles_the_probe_message_from_its_queue(
    tmp_path: Path, target: LocalProcessTarget
) -> None:
    # Given a generated Go event consumer on Redis
    repo_url, commit = publish(tmp_path, "go-ledger", language="go", database="redis", pattern="event")
    # When it is deployed (one message through its queue, counted handled on /metrics, before it answers)
    running = target.deploy(request_for("go-ledger", repo_url, commit))
    # Then it counted the probe handled and reports Redis
    metrics = httpx.get(f"{running.url}/metrics", timeout=10).text
    assert 'messages_total{outcome="handled"} 1' in metrics
    assert httpx.get(f"{running.url}/ready", timeout=10).json()["database"] == "redis"


def test_a_python_event_consumer_handles_a_message_sent_through_its_own_queue(
    tmp_path: Path, target: LocalProcessTarget, aws_clients: AwsClients
) -> None:
    # Given a generated Python event consumer on DynamoDB
    repo_url, commit = publish(tmp_path, "ledger", database="dynamodb", pattern="event")
    # When it is deployed (the deploy sends one message through its queue and waits for it handled)
    running = target.deploy(request_for("ledger", repo_url, commit))
    # Then the service polls the queue the target created and stored the probe in its table
    ready = httpx.get(f"{running.url}/ready", timeout=10).json()
    assert (ready["store"], ready["consumer"]) == ("dynamodb", "polling")
    queue = aws_clients.client("sqs").get_queue_url(QueueName="ledger-dev-events")["QueueUrl"]
    assert queue
    items = aws_clients.client("dynamodb").scan(TableName="ledger-dev")["Items"]
    assert any(item["pk"]["S"].startswith("items#deploy-probe-") for item in items)


def test_an_eventbridge_consumer_gets_its_rule_and_handles_an_event_put_on_the_bus(
    tmp_path: Path, target: LocalProcessTarget, aws_clients: AwsClients
) -> None:
    # Given a generated Python consumer of EventBridge events, on PostgreSQL
    repo_url, commit = publish(
        tmp_path, "audit", database="postgresql", pattern="event", eventSource="eventbridge"
    )
    # When it is deployed (the deploy puts one event on the bus and waits for it handled)
    running = target.deploy(request_for("audit", repo_url, commit))
    # Then the rule routes the resources' events to the service's queue, and the service polls it
    rule = aws_clients.client("events").describe_rule(Name="audit-dev-events")
    assert "item.upserted" in rule["EventPattern"]
    ready = httpx.get(f"{running.url}/ready", timeout=10).json()
    assert (ready["store"], ready["consumer"]) == ("postgresql", "polling")


def test_a_declared_store_without_its_server_binary_fails_with_the_install_command(
    tmp_path: Path, stores: LocalStores, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a service declaring Redis and a machine without redis-server
    repo_url, _ = publish(tmp_path, "cache-svc", database="redis")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", repo_url, str(clone)], check=True, capture_output=True)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    # When the store is provisioned
    with pytest.raises(DeployError) as failure:
        stores.provision(read_manifest(clone), "cache-svc", "dev")
    # Then the deploy fails for good, naming the binary and the command that installs it
    assert failure.value.retryable is False
    assert "redis-server" in str(failure.value)
    assert binaries.install_command("redis") in str(failure.value)


def test_a_target_without_store_provisioning_refuses_a_service_that_declares_a_database(
    tmp_path: Path,
) -> None:
    # Given a PostgreSQL service and a local target that provisions no stores
    repo_url, commit = publish(tmp_path, "orders-bare", database="postgresql")
    bare = LocalProcessTarget(home=tmp_path / "bare-home", uv=find_uv())
    try:
        # When it is deployed / Then the deploy fails instead of running the service on memory
        with pytest.raises(DeployError, match="declares the store 'postgresql'"):
            bare.deploy(request_for("orders-bare", repo_url, commit))
    finally:
        bare.stop_all()


def test_a_restarted_worker_reuses_the_postgresql_server_and_database_left_running(tmp_path: Path) -> None:
    # Given a worker's stores that started PostgreSQL and created a service's database
    first = LocalStores(tmp_path / "home")
    url = first.postgres.url_for("orders-dev")
    second = LocalStores(tmp_path / "home")
    try:
        # When the next worker asks for the same service's database
        again = second.postgres.url_for("orders-dev")
        # Then it is the same server and database, not a second cluster
        assert again == url
    finally:
        second.stop()
        first.stop()


def test_a_restarted_worker_reuses_the_redis_server_left_running_and_stops_it_on_exit(tmp_path: Path) -> None:
    # Given a worker's stores that started a service's Redis server
    first = LocalStores(tmp_path / "home")
    try:
        url = first.redis.url_for("cache-dev")
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        # When the next worker asks for the same service's Redis, then stops
        second = LocalStores(tmp_path / "home")
        again = second.redis.url_for("cache-dev")
        second.stop()
        # Then it was the same server, and the next worker's stop stopped it
        assert again == url
        assert not pong(port)
    finally:
        first.stop()
