"""Shared fixtures: a moto server on loopback (the local AWS), provisioned from the topology."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from agentic_common.aws import AwsClients
from agentic_common.settings import CommonSettings
from agentic_common.topology import Topology, default_topology
from agentic_local.moto_server import MotoServer
from agentic_local.provision import provision


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = MotoServer().start()
    previous = {
        k: os.environ.get(k)
        for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
    }
    os.environ.update(
        AWS_ENDPOINT_URL=server.url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
    )
    yield server
    server.stop()
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def topology() -> Topology:
    return default_topology()


@pytest.fixture(scope="session")
def aws_settings(moto_server: MotoServer) -> CommonSettings:
    return CommonSettings(agentic_env="test", aws_endpoint_url=moto_server.url)


@pytest.fixture(scope="session")
def aws_clients(aws_settings: CommonSettings) -> AwsClients:
    return AwsClients(aws_settings)


@pytest.fixture(scope="session")
def queue_urls(topology: Topology, aws_settings: CommonSettings, aws_clients: AwsClients) -> dict[str, str]:
    """Logical queue name → URL, after provisioning the whole topology into moto once per session."""
    return provision(topology, aws_settings, aws_clients)


@pytest.fixture
def empty_queues(queue_urls: dict[str, str], aws_clients: AwsClients) -> dict[str, str]:
    """Drain every queue (moto, like SQS, allows one PurgeQueue per queue per minute)."""
    sqs = aws_clients.client("sqs")
    for url in queue_urls.values():
        while messages := sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=0
        ).get("Messages", []):
            sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
            )
    return queue_urls


# `make test` runs the suite on pytest-xdist workers (--dist loadgroup). Tests that share one costly
# session thing stay on one worker: the e2e tests share one running stack (tests/e2e/conftest.py), the
# infra tests one synth per environment written under infra/ (two synths at once would share its folders).
# The 24 catalogue combinations (the longest e2e module, mostly waiting on builds) get a stack of their own
# on another worker, so they run beside the other e2e tests instead of after them. First prefix wins.
ONE_WORKER_GROUPS = {
    "e2e-combinations": "tests/e2e/test_catalogue_combinations.py",
    "e2e": "tests/e2e/",
    "infra": "tests/infra/",
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks (its hook names the group in the node id)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    for item in items:
        path = item.path.relative_to(root).as_posix()
        group = next((g for g, prefix in ONE_WORKER_GROUPS.items() if path.startswith(prefix)), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
