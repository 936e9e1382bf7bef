"""The local AWS keeps its state on disk: a stop and a start, or a kill -9 and a start, find it again.

Real moto server processes (``agentic_local.moto_launcher``) on loopback, driven over the wire.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from agentic_local.moto_server import MOTO_CREDENTIALS, MotoServer

SNAPSHOT_SECONDS = 0.5


@pytest.fixture
def aws(tmp_path: Path) -> Iterator[MotoServer]:
    server = MotoServer(
        log_file=tmp_path / "moto.log",
        state_file=tmp_path / "aws-state.pickle",
        snapshot_seconds=SNAPSHOT_SECONDS,
    ).start()
    yield server
    server.stop()


def _client(server: MotoServer, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id=MOTO_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=MOTO_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def _table(dynamodb: Any, name: str = "workflows") -> None:
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def _kill(server: MotoServer) -> None:
    assert server.process is not None
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()


def test_table_items_survive_a_stop_and_a_start(aws: MotoServer) -> None:
    # Given a table with an item
    dynamodb = _client(aws, "dynamodb")
    _table(dynamodb)
    dynamodb.put_item(TableName="workflows", Item={"pk": {"S": "wf-1"}, "status": {"S": "completed"}})
    # When the local AWS stops and starts again on the same state file
    aws.stop()
    aws.start()
    # Then the item is there
    item = dynamodb.get_item(TableName="workflows", Key={"pk": {"S": "wf-1"}})["Item"]
    assert item["status"] == {"S": "completed"}


def test_queued_and_in_flight_messages_survive_with_their_receive_counts(aws: MotoServer) -> None:
    # Given a queue with one message waiting and one received but not yet deleted (in flight)
    sqs = _client(aws, "sqs")
    url = sqs.create_queue(QueueName="codegen-tasks-dlq")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="in flight")
    sqs.receive_message(QueueUrl=url, VisibilityTimeout=2)
    sqs.send_message(
        QueueUrl=url,
        MessageBody="waiting",
        MessageAttributes={"reason": {"DataType": "String", "StringValue": "handler failed 3 times"}},
    )
    # When the local AWS stops and starts again
    aws.stop()
    aws.start()
    # Then both come back once the in-flight one's visibility ends, with their attributes and counts
    time.sleep(2)
    messages = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"]
    )["Messages"]
    seen = {m["Body"]: m for m in messages}
    assert set(seen) == {"in flight", "waiting"}
    assert seen["in flight"]["Attributes"]["ApproximateReceiveCount"] == "2"
    assert seen["waiting"]["MessageAttributes"]["reason"]["StringValue"] == "handler failed 3 times"


def test_s3_objects_and_secrets_survive_a_stop_and_a_start(aws: MotoServer) -> None:
    # Given an object and a secret
    s3, secrets = _client(aws, "s3"), _client(aws, "secretsmanager")
    s3.create_bucket(Bucket="agentic-artifacts")
    s3.put_object(Bucket="agentic-artifacts", Key="wf-1/repo.tar.gz", Body=b"x" * 70_000)
    secrets.create_secret(Name="agentic/webhook", SecretString="s3cr3t")
    # When the local AWS stops and starts again
    aws.stop()
    aws.start()
    # Then both read back unchanged
    body = s3.get_object(Bucket="agentic-artifacts", Key="wf-1/repo.tar.gz")["Body"].read()
    assert body == b"x" * 70_000
    assert secrets.get_secret_value(SecretId="agentic/webhook")["SecretString"] == "s3cr3t"


def test_after_a_kill_9_the_last_periodic_state_comes_back(aws: MotoServer) -> None:
    # Given an item written, and time for at least one periodic write of the state
    dynamodb = _client(aws, "dynamodb")
    _table(dynamodb)
    dynamodb.put_item(TableName="workflows", Item={"pk": {"S": "wf-2"}})
    time.sleep(SNAPSHOT_SECONDS * 4)
    # When the local AWS is killed with SIGKILL (no chance to write anything) and started again
    _kill(aws)
    aws.start()
    # Then the item is there
    assert "Item" in dynamodb.get_item(TableName="workflows", Key={"pk": {"S": "wf-2"}})


def test_a_state_file_from_another_moto_version_is_refused_with_what_to_do(tmp_path: Path) -> None:
    # Given a state file that is not one this moto wrote
    state = tmp_path / "aws-state.pickle"
    state.write_bytes(b"not a state file")
    server = MotoServer(log_file=tmp_path / "moto.log", state_file=state)
    # When the local AWS starts on it
    with pytest.raises(TimeoutError) as failure:
        server.start(timeout=30)
    server.stop()
    # Then it does not serve an empty AWS, and its log says which file and what to do
    assert "exited with code 1 before it answered" in str(failure.value)
    assert f"cannot read the local AWS state {state}" in (tmp_path / "moto.log").read_text()
    assert "Move the file away to start empty" in (tmp_path / "moto.log").read_text()


def test_the_state_file_is_readable_by_its_owner_only(aws: MotoServer) -> None:
    # Given a secret in the local AWS
    _client(aws, "secretsmanager").create_secret(Name="agentic/webhook", SecretString="s3cr3t")
    # When the local AWS stops and writes its state
    aws.stop()
    # Then the file that holds it is private to its owner
    assert aws.state_file is not None
    assert aws.state_file.stat().st_mode & 0o777 == 0o600
