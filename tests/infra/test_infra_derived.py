"""New topology entries appear in the app without edits: a rule, a queue, a table, an API route."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from agentic_common.topology import ApiRouteSpec, QueueSpec, RuleSpec, TableSpec, default_topology
from agentic_infra.config import load_config
from agentic_infra.constructs.api import PlatformApi
from agentic_infra.constructs.data import DataStores
from agentic_infra.constructs.messaging import Messaging
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Template

from tests.infra.context_values import REQUIRED_RUNTIME

pytestmark = pytest.mark.slow


def _extended_topology():
    base = default_topology()
    return base.model_copy(
        update={
            "queues": (
                *base.queues,
                QueueSpec(
                    name="audit-tasks", consumer="audit", runtime="fargate", visibility_timeout_seconds=120
                ),
            ),
            "rules": (
                *base.rules,
                RuleSpec(
                    name="audit-everything",
                    description="every event, audited",
                    pattern={"source": [{"prefix": "agentic."}]},
                    target_queue="audit-tasks",
                ),
            ),
            "tables": (
                *base.tables,
                TableSpec(name="audit-log", partition_key="event_id", ttl_attribute="expires_at"),
            ),
            "api_routes": (
                *base.api_routes,
                ApiRouteSpec(path_prefix="/audit", service="audit", handler="audit.api:handler"),
            ),
        }
    )


def test_a_new_rule_queue_table_and_route_are_built_without_edits(tmp_path):
    # Given a topology with one more queue, rule, table and API route
    topology = _extended_topology()
    config = load_config(
        {"jwt_issuer": "https://backstage.example.test", "jwt_audience": "a", **REQUIRED_RUNTIME}
    )
    stack = cdk.Stack(cdk.App(outdir=str(tmp_path)), "derived")
    # When the shared constructs are built from it
    Messaging(stack, "messaging", topology=topology, prefix=config.prefix)
    DataStores(stack, "data", topology=topology, prefix=config.prefix, retain=False)
    handlers = {
        handler: lambda_.Function(
            stack,
            f"fn{i}",
            runtime=lambda_.Runtime.PYTHON_3_11,
            handler="x.y",
            code=lambda_.Code.from_inline("def y(e, c): return {}"),
        )
        for i, handler in enumerate(dict.fromkeys(r.handler for r in topology.api_routes))
    }
    PlatformApi(stack, "api", topology=topology, config=config, handlers=handlers)
    template = Template.from_stack(stack)
    # Then each new entry is there, as declared
    template.has_resource_properties(
        "AWS::SQS::Queue", {"QueueName": "agentic-dev-audit-tasks", "VisibilityTimeout": 120}
    )
    template.has_resource_properties("AWS::SQS::Queue", {"QueueName": "agentic-dev-audit-tasks-dlq"})
    template.has_resource_properties(
        "AWS::Events::Rule",
        {"Name": "agentic-dev-audit-everything", "EventPattern": {"source": [{"prefix": "agentic."}]}},
    )
    template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "TableName": "agentic-dev-audit-log",
            "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
        },
    )
    for key in ("ANY /audit", "ANY /audit/{proxy+}"):
        template.has_resource_properties(
            "AWS::ApiGatewayV2::Route", {"RouteKey": key, "AuthorizationType": "JWT"}
        )
    template.resource_count_is("AWS::ApiGatewayV2::Integration", len(handlers))
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Route", {"RouteKey": "ANY /health", "AuthorizationType": "NONE"}
    )
