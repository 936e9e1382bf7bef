"""The HTTP API: two routes per topology API route, JWT authorizer (Backstage), throttling, access logs.

A shared-secret route (the Alertmanager webhook) has no JWT authorizer: its handler checks the secret,
a generated Secrets Manager secret created here, readable by that handler's function only, named by
``<LOGICAL>_SECRET_ID`` in its environment (see agentic_common.shared_secret). The check is in the
function rather than in a Lambda authorizer so that a wrong secret is a 401 with a body saying why
(an HTTP API Lambda authorizer answers a refusal with a bare 403).
"""

from __future__ import annotations

import json

from agentic_common.shared_secret import VALUE_KEY, secret_id_variable, secret_name
from agentic_common.topology import Topology
from aws_cdk import RemovalPolicy
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from agentic_infra.config import EnvironmentConfig
from agentic_infra.constructs.runtime_env import log_retention
from agentic_infra.nag import acknowledge

EMPTY_JSON = "{}"  # the generated value goes under VALUE_KEY
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
        handlers: dict[str, lambda_.Function],
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
        audiences = list(config.jwt_audience)
        if config.console_oidc_client_id and config.console_oidc_client_id not in audiences:
            audiences.append(config.console_oidc_client_id)  # the console's OIDC sign-in tokens
        jwt = authorizers.HttpJwtAuthorizer("backstage-jwt", config.jwt_issuer, jwt_audience=audiences)
        targets = {
            handler: integrations.HttpLambdaIntegration(f"to-{fn.node.id}-{i}", fn)
            for i, (handler, fn) in enumerate(handlers.items())
        }
        self.shared_secrets: dict[str, secretsmanager.Secret] = {}
        for route in topology.api_routes:
            if route.shared_secret:
                self._grant_shared_secret(route.shared_secret, handlers[route.handler], config)
            for path in route_paths(route.path_prefix):
                added = self.api.add_routes(
                    path=path,
                    methods=[apigw.HttpMethod.ANY],
                    integration=targets[route.handler],
                    authorizer=None if route.public or route.shared_secret else jwt,
                )
                if route.shared_secret:
                    for http_route in added:
                        acknowledge(
                            http_route,
                            "AwsSolutions-APIG4",
                            f"{route.path_prefix} is called by a machine (Alertmanager) that cannot hold "
                            "an hourly JWT; its handler verifies a shared secret in constant time",
                        )
                if route.public:
                    for http_route in added:
                        acknowledge(
                            http_route,
                            "AwsSolutions-APIG4",
                            f"{route.path_prefix} is public by design (liveness for load balancers "
                            "and uptime checks, or the API's own OpenAPI description); it returns no data",
                        )

    def _grant_shared_secret(
        self, logical: str, function: lambda_.Function, config: EnvironmentConfig
    ) -> None:
        """A generated ``{"token": ...}`` secret; the function reads it at run time (cached)."""
        if logical not in self.shared_secrets:
            secret = secretsmanager.Secret(
                self,
                f"{logical}-secret",
                secret_name=secret_name(config.prefix, logical),
                description=f"shared secret of the {logical} route (JSON key: {VALUE_KEY})",
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    secret_string_template=EMPTY_JSON,
                    generate_string_key=VALUE_KEY,
                    exclude_punctuation=True,
                    password_length=48,
                ),
                removal_policy=RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY,
            )
            acknowledge(
                secret,
                "AwsSolutions-SMG4",
                "shared with the caller's configuration (alertmanager.yml); rotate by putting a new "
                "token and updating the caller, as the observability guide says",
            )
            self.shared_secrets[logical] = secret
        secret = self.shared_secrets[logical]
        secret.grant_read(function)
        function.add_environment(secret_id_variable(logical), secret.secret_arn)
