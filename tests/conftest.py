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

from tests.xdist_groups import pytest_collection_modifyitems  # noqa: F401 - the grouping hook of `make test`


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
