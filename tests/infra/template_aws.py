"""A synthesized template's resources, provisioned into the local AWS by their template names, and its
intrinsic functions resolved against what was provisioned.

Only what the services touch is created: queues (with their redrive), tables (keys, GSIs), named buckets,
the event bus and its SQS-target rules (patterns verbatim), and the secrets (seeded with test values).
A reference to anything else fails loudly, so an environment variable naming a resource the local AWS
does not have cannot pass unnoticed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PSEUDO = {
    "AWS::Region": "us-east-1",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::AccountId": "123456789012",
}


class UnresolvedReferenceError(LookupError):
    """The template refers to something the local AWS was not provisioned with."""


@dataclass
class ProvisionedTemplate:
    template: dict[str, Any]
    refs: dict[str, str] = field(default_factory=dict)  # logical id → Ref value
    attrs: dict[tuple[str, str], str] = field(default_factory=dict)  # (logical id, attribute) → value

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == kind}

    def resolve(self, value: Any) -> Any:
        """Ref, Fn::GetAtt, Fn::Join and Fn::Select, as CloudFormation would resolve them."""
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        [(function, argument)] = value.items()
        handlers = {
            "Ref": self._ref,
            "Fn::GetAtt": self._get_att,
            "Fn::Join": lambda a: a[0].join(str(self.resolve(p)) for p in a[1]),
            "Fn::Select": lambda a: self.resolve(a[1])[int(a[0])],
        }
        if function not in handlers:
            raise UnresolvedReferenceError(f"unsupported intrinsic {function}")
        return handlers[function](argument)

    def _ref(self, name: str) -> str:
        if name in PSEUDO:
            return PSEUDO[name]
        if name not in self.refs:
            raise UnresolvedReferenceError(f"Ref {name}: not provisioned in the local AWS")
        return self.refs[name]

    def _get_att(self, argument: list[str]) -> str:
        logical, attribute = argument
        if (logical, attribute) not in self.attrs:
            raise UnresolvedReferenceError(f"Fn::GetAtt {logical}.{attribute}: not provisioned")
        return self.attrs[(logical, attribute)]


def provision_template(
    template: dict[str, Any],
    clients: Callable[[str], Any],
    secret_value: Callable[[str], dict[str, str]],
    api_url: str,
) -> ProvisionedTemplate:
    """Create the template's resources in the local AWS; ``api_url`` stands in for the HTTP API."""
    done = ProvisionedTemplate(template)
    _queues(done, clients("sqs"))
    _tables(done, clients("dynamodb"))
    _buckets(done, clients("s3"))
    _secrets(done, clients("secretsmanager"), secret_value)
    _bus_and_rules(done, clients("events"))
    for logical in done.resources("AWS::ApiGatewayV2::Api"):
        done.refs[logical] = api_url
        done.attrs[(logical, "ApiEndpoint")] = api_url
    return done


def _queues(done: ProvisionedTemplate, sqs: Any) -> None:
    queues = done.resources("AWS::SQS::Queue")
    ordered = sorted(queues.items(), key=lambda item: "RedrivePolicy" in item[1]["Properties"])
    for logical, resource in ordered:  # dead-letter queues first: the others refer to them
        props = resource["Properties"]
        attributes = {"VisibilityTimeout": str(props.get("VisibilityTimeout", 30))}
        if props.get("FifoQueue"):
            attributes["FifoQueue"] = "true"
            attributes["ContentBasedDeduplication"] = str(
                bool(props.get("ContentBasedDeduplication"))
            ).lower()
        if "RedrivePolicy" in props:
            policy = props["RedrivePolicy"]
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": done.resolve(policy["deadLetterTargetArn"]),
                    "maxReceiveCount": policy["maxReceiveCount"],
                }
            )
        url = sqs.create_queue(QueueName=props["QueueName"], Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        done.refs[logical] = url
        done.attrs[(logical, "Arn")] = arn
        done.attrs[(logical, "QueueName")] = props["QueueName"]
        done.attrs[(logical, "QueueUrl")] = url


def _tables(done: ProvisionedTemplate, dynamodb: Any) -> None:
    for logical, resource in done.resources("AWS::DynamoDB::Table").items():
        props = resource["Properties"]
        extra = {}
        if props.get("GlobalSecondaryIndexes"):
            extra["GlobalSecondaryIndexes"] = [
                {k: v for k, v in index.items() if k in ("IndexName", "KeySchema", "Projection")}
                for index in props["GlobalSecondaryIndexes"]
            ]
        table = dynamodb.create_table(
            TableName=props["TableName"],
            KeySchema=props["KeySchema"],
            AttributeDefinitions=props["AttributeDefinitions"],
            BillingMode="PAY_PER_REQUEST",
            **extra,
        )["TableDescription"]
        done.refs[logical] = props["TableName"]
        done.attrs[(logical, "Arn")] = table["TableArn"]


def _buckets(done: ProvisionedTemplate, s3: Any) -> None:
    for logical, resource in done.resources("AWS::S3::Bucket").items():
        name = resource.get("Properties", {}).get("BucketName")
        if name:  # the access-log bucket has a generated name and no service reads it
            s3.create_bucket(Bucket=name)
            done.refs[logical] = name
            done.attrs[(logical, "Arn")] = f"arn:aws:s3:::{name}"


def _secrets(
    done: ProvisionedTemplate, secretsmanager: Any, secret_value: Callable[[str], dict[str, str]]
) -> None:
    for logical, resource in done.resources("AWS::SecretsManager::Secret").items():
        name = resource["Properties"]["Name"]
        arn = secretsmanager.create_secret(Name=name, SecretString=json.dumps(secret_value(name)))["ARN"]
        done.refs[logical] = arn


def _bus_and_rules(done: ProvisionedTemplate, events: Any) -> None:
    for logical, resource in done.resources("AWS::Events::EventBus").items():
        name = resource["Properties"]["Name"]
        done.attrs[(logical, "Arn")] = events.create_event_bus(Name=name)["EventBusArn"]
        done.refs[logical] = done.attrs[(logical, "Name")] = name
    queues = done.resources("AWS::SQS::Queue")
    for logical, resource in done.resources("AWS::Events::Rule").items():
        props = resource["Properties"]
        targets = [t for t in props.get("Targets", []) if t["Arn"].get("Fn::GetAtt", [""])[0] in queues]
        if "EventBusName" not in props or not targets:
            continue  # schedules (Lambda targets) and ECS task-state alarms are not the services' wiring
        bus, name = done.resolve(props["EventBusName"]), props.get("Name", logical)
        events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(props["EventPattern"]))
        events.put_targets(
            Rule=name,
            EventBusName=bus,
            Targets=[
                {"Id": t["Id"], "Arn": done.resolve(t["Arn"])}
                | ({"SqsParameters": t["SqsParameters"]} if "SqsParameters" in t else {})
                for t in targets
            ],
        )
