"""The platform's state survives a stop and a start of `agentic up` on the same AGENTIC_HOME.

Real processes: the local AWS and the planner API, as `agentic up` runs them; the workflows are created
through the API. Every table and every queue of the topology is compared before and after, so approvals,
deployments, waivers, audit records and dead-lettered messages are held to the same rule as workflows.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import boto3
from agentic_common.topology import default_topology
from agentic_local.moto_server import MOTO_CREDENTIALS
from agentic_local.settings import LocalSettings

from tests.integration.local.stack_fixtures import Supervised, local_settings

WORKFLOWS = 20  # created through the API before the stop (the stop + start time is printed)
SERVICES = ("planner-api",)


def _body(number: int) -> dict[str, Any]:
    parameters = {"serviceName": f"svc-{number:03d}", "language": "python", "environment": "dev"}
    return {"template": "microservice-rest-api", "parameters": parameters}


def _client(settings: LocalSettings, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=f"http://127.0.0.1:{settings.agentic_aws_port}",
        region_name=settings.aws_region,
        aws_access_key_id=MOTO_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=MOTO_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def _tables(settings: LocalSettings) -> dict[str, list[dict[str, Any]]]:
    dynamodb = _client(settings, "dynamodb")
    contents = {}
    for table in default_topology().tables:
        items = dynamodb.get_paginator("scan").paginate(TableName=settings.name(table.name))
        contents[table.name] = sorted((i for page in items for i in page["Items"]), key=repr)
    return contents


def _queue_depths(settings: LocalSettings) -> dict[str, tuple[str, str]]:
    sqs = _client(settings, "sqs")
    depths = {}
    for queue in default_topology().queues:
        for name in (queue.name, queue.dlq_name):
            url = sqs.get_queue_url(QueueName=settings.name(name))["QueueUrl"]
            attributes = sqs.get_queue_attributes(
                QueueUrl=url,
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            depths[name] = (
                attributes["ApproximateNumberOfMessages"],
                attributes["ApproximateNumberOfMessagesNotVisible"],
            )
    return depths


def _dead_letter(settings: LocalSettings, reason: str) -> None:
    sqs = _client(settings, "sqs")
    queue = default_topology().queues[0]
    url = sqs.get_queue_url(QueueName=settings.name(queue.dlq_name))["QueueUrl"]
    sqs.send_message(
        QueueUrl=url,
        MessageBody='{"poison": true}',
        MessageAttributes={"reason": {"DataType": "String", "StringValue": reason}},
    )


def test_workflows_and_every_table_and_queue_survive_a_stop_and_a_start(tmp_path: Path) -> None:
    # Given a stack with workflows created through the API and a dead-lettered message
    settings = local_settings(tmp_path / "home")
    first = Supervised.start(settings, SERVICES)
    try:
        with first.client() as client:
            ids = []
            for number in range(WORKFLOWS):
                response = client.post("/workflows", json=_body(number))
                assert response.status_code == 201, response.text
                ids.append(response.json()["workflowId"])
            before = {i: client.get(f"/workflows/{i}").json() for i in ids}
        _dead_letter(settings, "codegen failed 3 times: template missing")
        tables, queues = _tables(settings), _queue_depths(settings)
    finally:
        started = time.monotonic()
        first.close()
    # When the stack stops and starts again on the same home
    stopped = time.monotonic()
    second = Supervised.start(settings, SERVICES)
    restarted = time.monotonic()
    print(
        f"\nstop + start with {WORKFLOWS} workflows ({sum(map(len, tables.values()))} items): stop "
        f"{stopped - started:.1f} s, start {restarted - stopped:.1f} s, state "
        f"{(settings.agentic_home / 'aws-state.pickle').stat().st_size} bytes"
    )
    try:
        with second.client() as client:
            after = {i: client.get(f"/workflows/{i}").json() for i in ids}
        tables_after, queues_after = _tables(settings), _queue_depths(settings)
    finally:
        second.close()
    # Then every workflow reads back as it was, with its tasks and history, and so does every table and queue
    assert after == before
    assert tables_after == tables
    assert queues_after == queues
    assert sum(depths[0] != "0" for name, depths in queues_after.items() if name.endswith("dlq")) >= 1
