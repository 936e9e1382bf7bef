"""The synthesized template and the topology module agree: every rule, queue, table, bucket and schedule."""

from __future__ import annotations

from typing import Any

import pytest
from agentic_common.topology import default_topology, physical_name

pytestmark = pytest.mark.slow
TOPOLOGY = default_topology()
PREFIX = "agentic-dev"


def _by_name(resources: dict[str, dict[str, Any]], key: str) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        v["Properties"][key]: (k, v["Properties"]) for k, v in resources.items() if key in v["Properties"]
    }


def test_the_bus_has_the_topology_name(synthesized):
    # Given the synthesized template / Then the one bus is named as the services compute it
    assert [p["Name"] for p in synthesized.props("AWS::Events::EventBus")] == [
        physical_name(PREFIX, TOPOLOGY.bus)
    ]


@pytest.mark.parametrize("rule", TOPOLOGY.rules, ids=lambda r: r.name)
def test_every_rule_has_the_topology_pattern_and_target(synthesized, rule):
    # Given the rules and queues in the template
    rules = _by_name(synthesized.resources("AWS::Events::Rule"), "Name")
    queues = _by_name(synthesized.resources("AWS::SQS::Queue"), "QueueName")
    # When we look up the rule by its deployed name
    _, props = rules[physical_name(PREFIX, rule.name)]
    # Then its pattern is the topology's, verbatim, on our bus, targeting exactly the topology's queue
    assert props["EventPattern"] == rule.pattern
    assert props["EventBusName"] == {"Ref": synthesized.logical_id(synthesized.stack.resources.bus)}
    [target] = props["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [queues[physical_name(PREFIX, rule.target_queue)][0], "Arn"]}
    assert target.get("SqsParameters", {}).get("MessageGroupId") == rule.message_group_id


def test_no_rule_on_the_bus_is_missing_from_the_topology(synthesized):
    # Given every rule deployed on the platform bus
    on_bus = [p["Name"] for p in synthesized.props("AWS::Events::Rule") if "EventBusName" in p]
    # Then each is a topology rule (nothing routes events the local stack would not)
    assert sorted(on_bus) == sorted(physical_name(PREFIX, r.name) for r in TOPOLOGY.rules)


@pytest.mark.parametrize("spec", TOPOLOGY.queues, ids=lambda q: q.name)
def test_every_queue_has_the_topology_settings_and_its_dlq(synthesized, spec):
    # Given the queues in the template, by deployed name
    queues = _by_name(synthesized.resources("AWS::SQS::Queue"), "QueueName")
    _, props = queues[physical_name(PREFIX, spec.name)]
    dlq_id, dlq = queues[physical_name(PREFIX, spec.dlq_name)]
    # Then visibility, retention, FIFO-ness and the redrive policy are the topology's
    assert props["VisibilityTimeout"] == spec.visibility_timeout_seconds
    assert props["MessageRetentionPeriod"] == spec.retention_seconds
    assert props.get("FifoQueue", False) is spec.fifo
    assert dlq.get("FifoQueue", False) is spec.fifo
    assert props.get("ContentBasedDeduplication", False) is spec.fifo  # as the local stack provisions it
    assert props["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
        "maxReceiveCount": spec.max_receive_count,
    }
    # And both are encrypted at rest
    assert props["SqsManagedSseEnabled"] is True
    assert dlq["SqsManagedSseEnabled"] is True


def test_the_template_has_no_queue_the_topology_does_not_declare(synthesized):
    names = sorted(p["QueueName"] for p in synthesized.props("AWS::SQS::Queue"))
    expected = sorted(physical_name(PREFIX, n) for q in TOPOLOGY.queues for n in (q.name, q.dlq_name))
    assert names == expected


@pytest.mark.parametrize("pipe", TOPOLOGY.pipes, ids=lambda p: p.name)
def test_every_pipe_moves_its_queue_into_its_fifo_queue_grouped_by_the_event(synthesized, pipe):
    # Given the pipe by its deployed name
    queues = _by_name(synthesized.resources("AWS::SQS::Queue"), "QueueName")
    pipes = _by_name(synthesized.resources("AWS::Pipes::Pipe"), "Name")
    _, props = pipes[physical_name(PREFIX, pipe.name)]
    source, target = (queues[physical_name(PREFIX, q)] for q in (pipe.source_queue, pipe.target_queue))
    # Then it reads the topology's source queue and writes its FIFO target
    assert props["Source"] == {"Fn::GetAtt": [source[0], "Arn"]}
    assert props["Target"] == {"Fn::GetAtt": [target[0], "Arn"]}
    assert target[1]["FifoQueue"] is True
    # And each message goes on as the event itself, its group and deduplication id read from that event
    parameters = props["TargetParameters"]
    assert parameters["InputTemplate"] == "<$.body>"
    assert parameters["SqsQueueParameters"] == {
        "MessageGroupId": pipe.message_group_path,
        "MessageDeduplicationId": pipe.deduplication_path,
    }
    assert props["SourceParameters"]["SqsQueueParameters"]["BatchSize"] == 1
    # And its role may take from the source and send to the target, nothing more
    role_id = props["RoleArn"]["Fn::GetAtt"][0]
    [policy] = [p for p in synthesized.props("AWS::IAM::Policy") if {"Ref": role_id} in p.get("Roles", [])]
    granted = {
        (action, statement["Resource"]["Fn::GetAtt"][0])
        for statement in policy["PolicyDocument"]["Statement"]
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
    }
    assert ("sqs:ReceiveMessage", source[0]) in granted
    assert ("sqs:DeleteMessage", source[0]) in granted
    assert ("sqs:SendMessage", target[0]) in granted
    assert {queue for _, queue in granted} == {source[0], target[0]}


def test_no_pipe_is_missing_from_the_topology(synthesized):
    names = sorted(p["Name"] for p in synthesized.props("AWS::Pipes::Pipe"))
    assert names == sorted(physical_name(PREFIX, p.name) for p in TOPOLOGY.pipes)


@pytest.mark.parametrize("spec", TOPOLOGY.tables, ids=lambda t: t.name)
def test_every_table_has_the_topology_keys_indexes_and_ttl(synthesized, spec):
    # Given the table by its deployed name
    _, props = _by_name(synthesized.resources("AWS::DynamoDB::Table"), "TableName")[
        physical_name(PREFIX, spec.name)
    ]
    # Then keys, GSIs and TTL are the topology's
    keys = {k["KeyType"]: k["AttributeName"] for k in props["KeySchema"]}
    assert keys == {"HASH": spec.partition_key, **({"RANGE": spec.sort_key} if spec.sort_key else {})}
    indexes = {
        i["IndexName"]: ({k["KeyType"]: k["AttributeName"] for k in i["KeySchema"]}, i["Projection"])
        for i in props.get("GlobalSecondaryIndexes", [])
    }
    assert indexes == {
        i.name: (
            {"HASH": i.partition_key, **({"RANGE": i.sort_key} if i.sort_key else {})},
            {"ProjectionType": "ALL"},
        )
        for i in spec.indexes
    }
    if spec.ttl_attribute:
        assert props["TimeToLiveSpecification"] == {"AttributeName": spec.ttl_attribute, "Enabled": True}
    else:
        assert "TimeToLiveSpecification" not in props
    # And it is on demand, point-in-time recoverable and encrypted
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}


@pytest.mark.parametrize("spec", TOPOLOGY.buckets, ids=lambda b: b.name)
def test_every_bucket_is_encrypted_versioned_private_and_moves_old_objects_to_glacier(synthesized, spec):
    _, props = _by_name(synthesized.resources("AWS::S3::Bucket"), "BucketName")[
        physical_name(PREFIX, spec.name)
    ]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    [rule] = props["LifecycleConfiguration"]["Rules"]
    assert rule["Transitions"] == [{"StorageClass": "GLACIER", "TransitionInDays": 90}]


@pytest.mark.parametrize("schedule", TOPOLOGY.schedules, ids=lambda s: s.name)
def test_every_schedule_invokes_its_service_function_at_the_topology_rate(synthesized, schedule):
    rules = _by_name(synthesized.resources("AWS::Events::Rule"), "Name")
    _, props = rules[physical_name(PREFIX, schedule.name)]
    minutes = schedule.rate_seconds // 60
    assert props["ScheduleExpression"] == f"rate({minutes} minute{'s' if minutes > 1 else ''})"
    function = synthesized.stack.functions[schedule.target_service].functions[f"schedule-{schedule.name}"]
    assert props["Targets"][0]["Arn"] == {"Fn::GetAtt": [synthesized.logical_id(function), "Arn"]}
