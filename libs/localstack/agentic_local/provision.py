"""Provision the topology into an AWS endpoint (moto locally): bus, queues + DLQs, rules, tables, buckets.

Idempotent: running it twice against the same endpoint leaves the same resources.
"""

from __future__ import annotations

import json
from typing import Any

from agentic_common.aws import AwsClients
from agentic_common.settings import CommonSettings
from agentic_common.topology import QueueSpec, TableSpec, Topology


def _queue_attributes(spec: QueueSpec, dlq_arn: str | None) -> dict[str, str]:
    attributes = {
        "VisibilityTimeout": str(spec.visibility_timeout_seconds),
        "MessageRetentionPeriod": str(spec.retention_seconds),
    }
    if spec.fifo:
        attributes |= {"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    if dlq_arn:
        attributes["RedrivePolicy"] = json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": spec.max_receive_count}
        )
    return attributes


def _create_queue(sqs: Any, name: str, attributes: dict[str, str]) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def _table_request(spec: TableSpec, name: str) -> dict[str, Any]:
    attributes = {spec.partition_key, *([spec.sort_key] if spec.sort_key else [])}
    key_schema = [{"AttributeName": spec.partition_key, "KeyType": "HASH"}]
    if spec.sort_key:
        key_schema.append({"AttributeName": spec.sort_key, "KeyType": "RANGE"})
    indexes = []
    for index in spec.indexes:
        index_keys = [{"AttributeName": index.partition_key, "KeyType": "HASH"}]
        attributes.add(index.partition_key)
        if index.sort_key:
            index_keys.append({"AttributeName": index.sort_key, "KeyType": "RANGE"})
            attributes.add(index.sort_key)
        indexes.append(
            {"IndexName": index.name, "KeySchema": index_keys, "Projection": {"ProjectionType": "ALL"}}
        )
    request: dict[str, Any] = {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": key_schema,
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
    }
    if indexes:
        request["GlobalSecondaryIndexes"] = indexes
    return request


def _add_missing_indexes(dynamodb: Any, spec: TableSpec, name: str) -> None:
    """A table kept from an older run (a durable home) gets the indexes the topology added since."""
    have = {
        i["IndexName"]
        for i in dynamodb.describe_table(TableName=name)["Table"].get("GlobalSecondaryIndexes", [])
    }
    wanted = _table_request(spec, name)
    for index in wanted.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] not in have:
            dynamodb.update_table(
                TableName=name,
                AttributeDefinitions=wanted["AttributeDefinitions"],
                GlobalSecondaryIndexUpdates=[{"Create": index}],
            )


def provision(topology: Topology, settings: CommonSettings, clients: AwsClients) -> dict[str, str]:
    """Create every resource; returns logical queue name → queue URL (DLQs included)."""
    sqs, events, dynamodb, s3 = (clients.client(s) for s in ("sqs", "events", "dynamodb", "s3"))
    bus = settings.name(topology.bus)
    if bus not in {b["Name"] for b in events.list_event_buses()["EventBuses"]}:
        events.create_event_bus(Name=bus)
    urls: dict[str, str] = {}
    arns: dict[str, str] = {}
    for queue in topology.queues:
        dlq_url, dlq_arn = _create_queue(sqs, settings.name(queue.dlq_name), _queue_attributes(queue, None))
        url, arn = _create_queue(sqs, settings.name(queue.name), _queue_attributes(queue, dlq_arn))
        urls |= {queue.name: url, queue.dlq_name: dlq_url}
        arns[queue.name] = arn
    for rule in topology.rules:
        name = settings.name(rule.name)
        events.put_rule(
            Name=name,
            EventBusName=bus,
            EventPattern=json.dumps(rule.pattern),
            Description=rule.description,
            State="ENABLED",
        )
        target: dict[str, Any] = {"Id": rule.target_queue.replace(".", "-"), "Arn": arns[rule.target_queue]}
        if rule.message_group_id:
            target["SqsParameters"] = {"MessageGroupId": rule.message_group_id}
        events.put_targets(Rule=name, EventBusName=bus, Targets=[target])
    existing = set(dynamodb.list_tables()["TableNames"])
    for table in topology.tables:
        name = settings.name(table.name)
        if name in existing:
            _add_missing_indexes(dynamodb, table, name)
        else:
            dynamodb.create_table(**_table_request(table, name))
            if table.ttl_attribute:
                dynamodb.update_time_to_live(
                    TableName=name,
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
                )
    buckets = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    for bucket in topology.buckets:
        name = settings.name(bucket.name)
        if name not in buckets:
            s3.create_bucket(Bucket=name)
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
            s3.put_public_access_block(
                Bucket=name,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            )
    return urls
