"""Least-privilege grants for one service: its event source, its queues, its tables, buckets and secrets."""

from __future__ import annotations

from dataclasses import dataclass

from agentic_common.topology import Topology
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs

from agentic_infra.nag import acknowledge_bucket_grant, acknowledge_table_grant
from agentic_infra.profiles import ServiceProfile


@dataclass(frozen=True)
class PlatformResources:
    """What the shared constructs created, by logical name; services are granted slices of it."""

    bus: events.EventBus
    queues: dict[str, sqs.Queue]
    dlqs: dict[str, sqs.Queue]
    tables: dict[str, dynamodb.Table]
    buckets: dict[str, s3.Bucket]
    secrets: dict[str, secretsmanager.Secret]


def put_events_statement(bus: events.IEventBus, profile: ServiceProfile) -> iam.PolicyStatement:
    return iam.PolicyStatement(
        actions=["events:PutEvents"],
        resources=[bus.event_bus_arn],
        conditions={"StringEquals": {"events:source": [profile.source]}},
    )


def grant_service(
    role: iam.IRole,
    profile: ServiceProfile,
    topology: Topology,
    res: PlatformResources,
    *,
    secrets: bool = True,
) -> None:
    """Everything ``profile`` may do, and nothing else. ``secrets=False`` when ECS injects them instead."""
    role.add_to_principal_policy(put_events_statement(res.bus, profile))
    for spec in topology.queues_of(profile.name):
        res.queues[spec.name].grant_consume_messages(role)
        res.dlqs[spec.name].grant_send_messages(role)  # the consumer moves invalid events there itself
    for name in profile.tables:
        res.tables[name].grant_read_write_data(role)
    for name in profile.read_tables:
        res.tables[name].grant_read_data(role)
    for name in (*profile.tables, *profile.read_tables):
        acknowledge_table_grant(role, res.tables[name])
    for name in profile.buckets:
        res.buckets[name].grant_read_write(role)
        acknowledge_bucket_grant(role, res.buckets[name], write=True)
    for name in profile.read_buckets:
        res.buckets[name].grant_read(role)
        acknowledge_bucket_grant(role, res.buckets[name], write=False)
    if secrets:
        for name in profile.secrets:
            res.secrets[name].grant_read(role)
