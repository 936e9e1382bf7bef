"""The HTTP API: two routes per topology API route, JWT authorizer (Backstage), throttling, access logs."""

from __future__ import annotations

import json

from agentic_common.topology import Topology
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from agentic_infra.config import EnvironmentConfig
from agentic_infra.constructs.runtime_env import log_retention
from agentic_infra.nag import acknowledge

ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "time": "$context.requestTime",
    "method": "$context.httpMethod",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "latencyMs": "$context.responseLatency",
    "integrationError": "$context.integrationErrorMessage",
    "subject": "$context.authorizer.claims.sub",
}


def route_paths(prefix: str) -> tuple[str, str]:
    """The two HTTP API paths of a topology route: the prefix itself and everything below it."""
    base = prefix.rstrip("/") or "/"
    return base, f"{base.rstrip('/')}/{{proxy+}}"


class PlatformApi(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        topology: Topology,
        config: EnvironmentConfig,
        handlers: dict[str, lambda_.IFunction],
    ) -> None:
        super().__init__(scope, id)
        self.api = apigw.HttpApi(
            self,
            "api",
            api_name=f"{config.prefix}-api",
            create_default_stage=False,
            description="Agentic DevOps platform API (Backstage, CLI)",
        )
        self.access_logs = logs.LogGroup(self, "access-logs", retention=log_retention(config))
        self.stage = apigw.HttpStage(
            self,
            "stage",
            http_api=self.api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigw.ThrottleSettings(
                rate_limit=config.api_rate_limit, burst_limit=config.api_burst_limit
            ),
        )
        cfn_stage: apigw.CfnStage = self.stage.node.default_child  # type: ignore[assignment]
        cfn_stage.access_log_settings = apigw.CfnStage.AccessLogSettingsProperty(
            destination_arn=self.access_logs.log_group_arn, format=json.dumps(ACCESS_LOG_FORMAT)
        )
        jwt = authorizers.HttpJwtAuthorizer(
            "backstage-jwt", config.jwt_issuer, jwt_audience=list(config.jwt_audience)
        )
        targets = {
            handler: integrations.HttpLambdaIntegration(f"to-{fn.node.id}-{i}", fn)
            for i, (handler, fn) in enumerate(handlers.items())
        }
        for route in topology.api_routes:
            for path in route_paths(route.path_prefix):
                added = self.api.add_routes(
                    path=path,
                    methods=[apigw.HttpMethod.ANY],
                    integration=targets[route.handler],
                    authorizer=None if route.public else jwt,
                )
                if route.public:
                    for http_route in added:
                        acknowledge(
                            http_route,
                            "AwsSolutions-APIG4",
                            f"{route.path_prefix} is public by design "
                            "(liveness for load balancers and uptime checks); it returns no data",
                        )
