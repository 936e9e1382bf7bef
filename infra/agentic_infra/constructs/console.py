"""The console as a static site next to the API: a private bucket behind CloudFront (origin access control).

The console is built to live under ``/console/`` and to call the API at its own origin (console/src/main.tsx),
as the local gateway serves it. In AWS the distribution does the same: ``/console/*`` comes from the bucket,
and every route prefix of the topology (``/workflows*``, ``/policy*``, ...) goes to the HTTP API, with the
bearer token in the cache key and nothing cached (the API sends no cache headers). One origin: no CORS.

The console's build output (``console/dist``, or ``-c console_dist=<folder>``) is the asset; synth fails
naming the build command when that folder holds no ``index.html``. ``/console/config.json`` carries the API
base URL (this distribution's own address), the environment name and, with ``-c console_oidc_client_id=``,
the OIDC sign-in (issuer = the authorizer's ``jwt_issuer``, client id, redirect URI = the console's URL,
scope, which token the API takes): the console signs in with code + PKCE (console/src/oidc.ts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from agentic_infra.config import EnvironmentConfig
from agentic_infra.imports import REPO_ROOT
from agentic_infra.nag import S3_GRANT_ACTIONS, acknowledge
from agentic_infra.packaging import PackagingError

CONSOLE_DIST = REPO_ROOT / "console" / "dist"
BUILD_COMMAND = "python3 scripts/build_console.py"
BASE_PATH = "console/"  # console/vite.config.ts: base "/console/"
CONFIG_FILE = "config.json"
DEPLOYER_ID = "Custom::CDKBucketDeployment"
# A folder's address is its index.html (S3 has no index documents behind OAC); "/" is the console's.
INDEX_REWRITE = """function handler(event) {
  var request = event.request;
  if (request.uri === "/") { request.uri = "/console/index.html"; }
  else if (request.uri.endsWith("/")) { request.uri += "index.html"; }
  return request;
}"""


def console_build(folder: Path | None = None) -> Path:
    """The console's build output, or PackagingError naming the command that builds it."""
    dist = (folder or CONSOLE_DIST).resolve()
    if not (dist / "index.html").is_file():
        raise PackagingError(
            f"the console's build output is missing ({dist} has no index.html): build it with "
            f"`{BUILD_COMMAND}`, or pass -c console_dist=<folder with the built console>"
        )
    return dist


def site_config(config: EnvironmentConfig, origin: str) -> dict[str, Any]:
    """``config.json``: the API base URL, the environment and, when a client id is set, the OIDC sign-in."""
    site: dict[str, Any] = {"apiBaseUrl": origin, "environment": config.name}
    if config.console_oidc_client_id:
        site["oidc"] = {
            "issuer": config.jwt_issuer,
            "clientId": config.console_oidc_client_id,
            "redirectUri": f"{origin}/{BASE_PATH}",
            "scope": config.console_oidc_scope,
            "token": config.console_oidc_bearer,
        }
    return site


def api_path_patterns(prefixes: list[str]) -> list[str]:
    """One CloudFront path pattern per API route prefix, none covered by another (``/alerts*`` covers
    ``/alerts/alertmanager``)."""
    bases = sorted({prefix.rstrip("/") or "/" for prefix in prefixes})
    kept = [b for b in bases if not any(b != o and b.startswith(o) for o in bases)]
    return [f"{base}*" for base in kept]


class ConsoleSite(Construct):
    """``bucket`` (private, TLS only, logged to ``access_logs``), ``distribution`` (HTTPS only), ``url``."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EnvironmentConfig,
        dist: Path,
        access_logs: s3.IBucket,
        api: apigw.HttpApi,
        api_prefixes: list[str],
    ) -> None:
        super().__init__(scope, id)
        removal = RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY
        self.dist = console_build(dist)
        self.access_logs = access_logs
        self.bucket = s3.Bucket(
            self,
            "site",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            removal_policy=removal,
            auto_delete_objects=not config.retain_data,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="console-site/",
        )
        self._cfn_bucket: s3.CfnBucket = self.bucket.node.default_child  # type: ignore[assignment]
        self.distribution = cloudfront.Distribution(
            self,
            "cdn",
            comment=f"{config.prefix} console and API",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=cloudfront.Function(
                            self,
                            "index-rewrite",
                            code=cloudfront.FunctionCode.from_inline(INDEX_REWRITE),
                            runtime=cloudfront.FunctionRuntime.JS_2_0,
                        ),
                        event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                    )
                ],
            ),
            additional_behaviors=self._api_behaviors(api, api_prefixes),
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=access_logs,
            log_file_prefix="console-cdn/",
        )
        self.url = f"https://{self.distribution.distribution_domain_name}/{BASE_PATH}"
        self._acknowledge(self.distribution)

    def _api_behaviors(
        self, api: apigw.HttpApi, prefixes: list[str]
    ) -> dict[str, cloudfront.BehaviorOptions]:
        """The API's routes at the console's origin: the token is part of the cache key, nothing is kept."""
        stack = Stack.of(self)
        origin = origins.HttpOrigin(
            f"{api.api_id}.execute-api.{stack.region}.{stack.url_suffix}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
        )
        self.api_cache_policy = cloudfront.CachePolicy(
            self,
            "api-pass-through",
            comment="the API through the console's origin: keyed by the bearer token, no caching by default",
            default_ttl=Duration.seconds(0),
            min_ttl=Duration.seconds(0),
            max_ttl=Duration.seconds(1),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list("Authorization"),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
        )
        behavior = cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            cache_policy=self.api_cache_policy,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        )
        return {pattern: behavior for pattern in api_path_patterns(prefixes)}

    def deploy(self, config: EnvironmentConfig) -> s3deploy.BucketDeployment:
        """Upload the build output under /console/ with its config.json, then invalidate the CDN."""
        deployment = s3deploy.BucketDeployment(
            self,
            "content",
            sources=[
                s3deploy.Source.asset(str(self.dist)),
                s3deploy.Source.json_data(
                    CONFIG_FILE, site_config(config, f"https://{self.distribution.distribution_domain_name}")
                ),
            ],
            destination_bucket=self.bucket,
            destination_key_prefix=BASE_PATH,
            distribution=self.distribution,
            distribution_paths=[f"/{BASE_PATH}*"],
            prune=True,
        )
        self._acknowledge_deployer()
        return deployment

    def _acknowledge_deployer(self) -> None:
        """CDK's bucket-deployment function (one per stack): copies the asset into the site bucket."""
        stack = Stack.of(self)
        handlers = [c for c in stack.node.children if c.node.id.startswith(DEPLOYER_ID)]
        for handler in handlers:
            acknowledge(
                handler,
                "AwsSolutions-L1",
                "CDK's own bucket-deployment function: its runtime is chosen and upgraded by aws-cdk-lib",
            )
            acknowledge(
                handler,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AWSLambdaBasicExecutionRole]",
                "CDK's bucket-deployment function writes its own logs only (CloudWatch Logs basic role)",
            )
            acknowledge(
                handler,
                "AwsSolutions-IAM5[Resource::*]",
                "CloudFront CreateInvalidation/GetInvalidation have no resource-level scoping in CDK's "
                "deployment role; the function runs only on this stack's deploys",
            )
            acknowledge(
                handler,
                "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-"
                "<AWS::AccountId>-<AWS::Region>/*]",
                "reads the console asset zip from the CDK bootstrap asset bucket (keys are content hashes)",
            )
            acknowledge(
                handler,
                f"AwsSolutions-IAM5[Resource::<{stack.get_logical_id(self._cfn_bucket)}.Arn>/*]",
                "replaces the console's files in its own site bucket (every object: a deploy prunes)",
            )
            for action in S3_GRANT_ACTIONS:
                acknowledge(
                    handler,
                    f"AwsSolutions-IAM5[Action::{action}]",
                    "CDK's bucket grant action groups, on the asset bucket (read) and the site bucket",
                )

    @staticmethod
    def _acknowledge(distribution: cloudfront.Distribution) -> None:
        acknowledge(
            distribution,
            "AwsSolutions-CFR1",
            "the console is used from wherever the platform's engineers are; its files hold no data, "
            "and every data route of the API behind it needs a Backstage JWT",
        )
        acknowledge(
            distribution,
            "AwsSolutions-CFR2",
            "the console's files are public by nature; the API routes it passes on are throttled by "
            "the API's stage and every data route needs a Backstage JWT (checked by API Gateway)",
        )
        acknowledge(
            distribution,
            "AwsSolutions-CFR4",
            "the default *.cloudfront.net certificate cannot pin a minimum TLS version (HTTP redirects "
            "to HTTPS; TLSv1.2_2021 is set and applies once a custom domain certificate is attached)",
        )
