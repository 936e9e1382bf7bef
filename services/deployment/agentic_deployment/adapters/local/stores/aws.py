"""The AWS resources a service declares, on the local AWS (moto): its DynamoDB table, its SQS queue
and, for an EventBridge consumer, the rule on the default bus that feeds the queue.

Names are ``<service>-<environment>`` (the table), ``…-events`` (the queue and the rule), as the
generated Terraform names them. Creating is idempotent: a redeploy finds and reuses them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from agentic_deployment.ports import DeployError

ClientFactory = Callable[[str], Any]


class LocalAwsResources:
    def __init__(self, clients: ClientFactory) -> None:
        self._clients = clients

    def table(self, name: str) -> str:
        dynamodb = self._clients("dynamodb")
        try:
            dynamodb.create_table(
                TableName=name,
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                BillingMode="PAY_PER_REQUEST",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceInUseException":
                raise DeployError(
                    f"could not create the DynamoDB table {name!r} on the local AWS: {exc}"
                ) from None
        return name

    def queue(self, name: str) -> tuple[str, str]:
        """The queue's URL and ARN."""
        sqs = self._clients("sqs")
        url: str = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn: str = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        return url, arn

    def rule(self, name: str, detail_types: list[str], queue_arn: str) -> None:
        events = self._clients("events")
        events.put_rule(Name=name, EventPattern=json.dumps({"detail-type": detail_types}), State="ENABLED")
        events.put_targets(Rule=name, Targets=[{"Id": "queue", "Arn": queue_arn}])
