"""DynamoDB tables (on demand, PITR, encrypted, TTL, GSIs) and S3 buckets from the topology."""

from __future__ import annotations

from agentic_common.topology import TableSpec, Topology, physical_name
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from constructs import Construct

GLACIER_AFTER = Duration.days(90)
NONCURRENT_EXPIRY = Duration.days(365)


def _key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class DataStores(Construct):
    """``tables`` and ``buckets`` by logical name, plus the bucket that receives their access logs."""

    def __init__(self, scope: Construct, id: str, *, topology: Topology, prefix: str, retain: bool) -> None:
        super().__init__(scope, id)
        removal = RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY
        self.tables = {spec.name: self._table(spec, prefix, removal) for spec in topology.tables}
        self.access_logs = s3.Bucket(
            self,
            "access-logs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            removal_policy=removal,
            auto_delete_objects=not retain,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(365))],
        )
        self.buckets = {
            spec.name: s3.Bucket(
                self,
                f"bucket-{spec.name}",
                bucket_name=physical_name(prefix, spec.name),
                encryption=s3.BucketEncryption.S3_MANAGED,
                enforce_ssl=True,
                versioned=True,
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                removal_policy=removal,
                auto_delete_objects=not retain,
                server_access_logs_bucket=self.access_logs,
                server_access_logs_prefix=f"{spec.name}/",
                lifecycle_rules=[
                    s3.LifecycleRule(
                        id="old-to-glacier",
                        transitions=[
                            s3.Transition(
                                storage_class=s3.StorageClass.GLACIER, transition_after=GLACIER_AFTER
                            )
                        ],
                        noncurrent_version_expiration=NONCURRENT_EXPIRY,
                    )
                ],
            )
            for spec in topology.buckets
        }

    def _table(self, spec: TableSpec, prefix: str, removal: RemovalPolicy) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            f"table-{spec.name}",
            table_name=physical_name(prefix, spec.name),
            partition_key=_key(spec.partition_key),
            sort_key=_key(spec.sort_key) if spec.sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=spec.ttl_attribute,
            removal_policy=removal,
        )
        for index in spec.indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_key(index.partition_key),
                sort_key=_key(index.sort_key) if index.sort_key else None,
                projection_type=dynamodb.ProjectionType.ALL,
            )
        return table
