"""cdk-nag (v3, CDK Validations) acknowledgments: each one names the finding and says why we accept it.

Acknowledgments are made where the cause is (the construct that creates it), through ``acknowledge``, so a
finding cannot be silenced without a reason and a removed resource takes its acknowledgment with it.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Stack, Stage, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct

MIN_REASON = 20
S3_GRANT_ACTIONS = ("s3:Abort*", "s3:DeleteObject*", "s3:GetBucket*", "s3:GetObject*", "s3:List*")


def enable_nag(stage: Stage) -> None:
    """Run the AwsSolutions pack on every synth of ``stage``: an unacknowledged error fails the synth."""
    Validations.of(stage).add_plugins(AwsSolutionsChecks(stage, verbose=True))


def acknowledge(construct: IConstruct, finding: str, reason: str) -> None:
    """Accept ``finding`` (``AwsSolutions-L1``, ``AwsSolutions-IAM5[Resource::*]``) on ``construct``."""
    if len(reason.strip()) < MIN_REASON:
        raise ValueError(
            f"cdk-nag acknowledgment {finding}: give a reason (at least {MIN_REASON} characters)"
        )
    Validations.of(construct).acknowledge(Acknowledgment(id=finding, reason=reason))


def _arn_ref(construct: IConstruct) -> str:
    return f"<{Stack.of(construct).get_logical_id(construct.node.default_child)}.Arn>"  # type: ignore[arg-type]


def acknowledge_table_grant(grantee: IConstruct, table: dynamodb.ITable) -> None:
    if table.node.try_find_child("Resource") is None:
        return
    acknowledge(
        grantee,
        f"AwsSolutions-IAM5[Resource::{_arn_ref(table)}/index/*]",
        "CDK's table grant includes the table's own GSIs (queries by status); no other table's",
    )


def acknowledge_bucket_grant(grantee: IConstruct, bucket: s3.IBucket, write: bool) -> None:
    acknowledge(
        grantee,
        f"AwsSolutions-IAM5[Resource::{_arn_ref(bucket)}/*]",
        "objects of this one bucket (keys are generated per workflow, not known in advance)",
    )
    actions = S3_GRANT_ACTIONS if write else ("s3:GetBucket*", "s3:GetObject*", "s3:List*")
    for action in actions:
        acknowledge(
            grantee,
            f"AwsSolutions-IAM5[Action::{action}]",
            "CDK's bucket grant action groups (object versions, multipart uploads), on our buckets only",
        )
