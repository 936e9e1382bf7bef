"""The console as a static site next to the API: a private bucket behind CloudFront (origin access control).

The console's build output (``console/dist``, or the folder given as ``-c console_dist=...``) is the
asset; synth fails naming the build command when that folder holds no ``index.html`` (a stack without
its console would deploy an empty site). The API's base URL is injected at deploy time as
``/config.json`` (``{"apiBaseUrl": ..., "environment": ...}``), and the API answers the site's
origin with CORS (``PlatformApi.allow_browser_origin``): the console calls the API from the browser
with the same bearer token the CLI and Backstage use.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, RemovalPolicy, Stack
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
BUILD_COMMAND = "cd console && npm ci && npm run build"
CONFIG_FILE = "config.json"
DEPLOYER_ID = "Custom::CDKBucketDeployment"
SPA_FALLBACK = ("/index.html", 200)  # a deep link (/workflows/wf-1) is the app's route, not a file


def console_build(folder: Path | None = None) -> Path:
    """The console's build output, or PackagingError naming the command that builds it."""
    dist = (folder or CONSOLE_DIST).resolve()
    if not (dist / "index.html").is_file():
        raise PackagingError(
            f"the console's build output is missing ({dist} has no index.html): build it with "
            f"`{BUILD_COMMAND}`, or pass -c console_dist=<folder with the built console>"
        )
    return dist


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
            comment=f"{config.prefix} console",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
            ),
            error_responses=[
                cloudfront.ErrorResponse(
                    http_status=status,
                    response_page_path=SPA_FALLBACK[0],
                    response_http_status=SPA_FALLBACK[1],
                    ttl=Duration.seconds(0),
                )
                for status in (403, 404)
            ],
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=access_logs,
            log_file_prefix="console-cdn/",
        )
        self.url = f"https://{self.distribution.distribution_domain_name}"
        self._acknowledge(self.distribution)

    def deploy(self, api_url: str, environment: str) -> s3deploy.BucketDeployment:
        """Upload the build output and ``/config.json`` (the API base URL), then invalidate the CDN."""
        deployment = s3deploy.BucketDeployment(
            self,
            "content",
            sources=[
                s3deploy.Source.asset(str(self.dist)),
                s3deploy.Source.json_data(CONFIG_FILE, {"apiBaseUrl": api_url, "environment": environment}),
            ],
            destination_bucket=self.bucket,
            distribution=self.distribution,
            distribution_paths=["/*"],
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
            "the console is used from wherever the platform's engineers are; it serves static files "
            "only, every datum comes from the API behind its JWT authorizer",
        )
        acknowledge(
            distribution,
            "AwsSolutions-CFR2",
            "static files only (no data, no forms posted to this origin): the API it calls is throttled "
            "per stage and every data route needs a Backstage JWT",
        )
        acknowledge(
            distribution,
            "AwsSolutions-CFR4",
            "the default *.cloudfront.net certificate cannot pin a minimum TLS version (HTTP redirects "
            "to HTTPS; TLSv1.2_2021 is set and applies once a custom domain certificate is attached)",
        )
