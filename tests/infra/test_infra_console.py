"""The console's static site: a private bucket behind CloudFront (OAC), its build and config deployed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.infra.conftest import AUDIENCE, CONSOLE_FILES, ISSUER

pytestmark = pytest.mark.slow
DEPLOYMENT = "Custom::CDKBucketDeployment"


def _the(synthesized, kind):
    [(logical, resource)] = synthesized.resources(kind).items()
    return logical, resource.get("Properties", {})


def _site_bucket(synthesized):
    return synthesized.template["Resources"][synthesized.logical_id(synthesized.stack.console.bucket)]


def _asset_folder(synthesized, object_key: str) -> Path:
    asset_hash = object_key.removesuffix(".zip")
    manifest = json.loads(next(synthesized.outdir.glob("*.assets.json")).read_text())
    return synthesized.outdir / manifest["files"][asset_hash]["source"]["path"]


def test_the_site_bucket_is_private_encrypted_tls_only_and_access_logged(synthesized):
    # Given the console's bucket in the dev template
    bucket = _site_bucket(synthesized)["Properties"]
    # Then nothing in it is public, it is encrypted, and its access logs go to the platform's log bucket
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    access_logs = synthesized.logical_id(synthesized.stack.console.access_logs)
    assert bucket["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": access_logs}


def test_only_the_console_distribution_may_read_the_site_bucket(synthesized):
    # Given the site bucket's policy
    site = synthesized.logical_id(synthesized.stack.console.bucket)
    distribution = synthesized.logical_id(synthesized.stack.console.distribution)
    [policy] = [
        p["PolicyDocument"]["Statement"]
        for p in synthesized.props("AWS::S3::BucketPolicy")
        if p["Bucket"] == {"Ref": site}
    ]
    # Then plain HTTP is denied to everyone
    [deny] = [s for s in policy if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    # And the one reader is CloudFront, for this distribution only (origin access control, no public read)
    [read] = [s for s in policy if s["Effect"] == "Allow" and s["Action"] == "s3:GetObject"]
    assert read["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    source_arn = json.dumps(read["Condition"]["StringEquals"]["AWS:SourceArn"])
    assert f'"Ref": "{distribution}"' in source_arn


def test_the_distribution_serves_https_only_through_origin_access_control_and_logs(synthesized):
    # Given the distribution
    _, props = _the(synthesized, "AWS::CloudFront::Distribution")
    config = props["DistributionConfig"]
    oac, _ = _the(synthesized, "AWS::CloudFront::OriginAccessControl")
    # Then HTTP is redirected to HTTPS, the one origin signs with OAC, and requests are logged
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    [origin] = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac, "Id"]}
    assert config["Logging"]["Prefix"] == "console-cdn/"
    # And the app's own routes (deep links) fall back to index.html
    assert config["DefaultRootObject"] == "index.html"
    assert {
        (e["ErrorCode"], e["ResponsePagePath"], e["ResponseCode"]) for e in config["CustomErrorResponses"]
    } == {
        (403, "/index.html", 200),
        (404, "/index.html", 200),
    }


def test_the_deploy_uploads_exactly_the_console_build_output(synthesized):
    # Given the bucket deployment and the assets it copies
    _, props = _the(synthesized, DEPLOYMENT)
    folders = [_asset_folder(synthesized, key) for key in props["SourceObjectKeys"]]
    # Then one asset is the build output, file for file
    build = next(folder for folder in folders if (folder / "index.html").is_file())
    files = {str(p.relative_to(build)): p.read_text() for p in build.rglob("*") if p.is_file()}
    assert files == CONSOLE_FILES
    # And it goes into the site bucket, replacing what was there, and the CDN is invalidated
    assert props["DestinationBucketName"] == {"Ref": synthesized.logical_id(synthesized.stack.console.bucket)}
    assert props["Prune"] is True
    assert props["DistributionPaths"] == ["/*"]


def test_the_api_base_url_is_injected_as_config_json(synthesized):
    # Given the bucket deployment's second source (config.json) and its deploy-time markers
    _, props = _the(synthesized, DEPLOYMENT)
    folders = [_asset_folder(synthesized, key) for key in props["SourceObjectKeys"]]
    index = next(i for i, folder in enumerate(folders) if (folder / "config.json").is_file())
    text = (folders[index] / "config.json").read_text()
    [(marker, value)] = props["SourceMarkers"][index].items()
    # Then at deploy time the marker becomes this stack's API endpoint, as a JSON string
    api = synthesized.logical_id(synthesized.stack.api.api)
    assert value == {"Fn::Join": ["", ['"', {"Fn::GetAtt": [api, "ApiEndpoint"]}, '"']]}
    # And with it replaced, config.json holds the API base URL and the environment
    deployed = json.loads(text.replace(marker, '"https://api.example.test"'))
    assert deployed == {"apiBaseUrl": "https://api.example.test", "environment": "dev"}


def test_the_api_allows_browser_calls_from_the_console_origin_only(synthesized):
    # Given the HTTP API's CORS configuration
    _, props = _the(synthesized, "AWS::ApiGatewayV2::Api")
    cors = props["CorsConfiguration"]
    distribution = synthesized.logical_id(synthesized.stack.console.distribution)
    # Then the one allowed origin is the console's HTTPS address, with the bearer token header
    assert cors["AllowOrigins"] == [
        {"Fn::Join": ["", ["https://", {"Fn::GetAtt": [distribution, "DomainName"]}]]}
    ]
    assert "authorization" in cors["AllowHeaders"]


def test_the_console_url_is_a_stack_output(synthesized):
    assert "ConsoleUrl" in synthesized.template["Outputs"]


def test_a_missing_console_build_fails_the_synth_naming_the_build_command(tmp_path, peers, capsys):
    # Given a context whose console folder was never built
    from agentic_infra.synth import synth_from_args  # noqa: PLC0415 - imports aws-cdk-lib

    context = {"env": "dev", "jwt_issuer": ISSUER, "jwt_audience": AUDIENCE, **peers.context()}
    args = [f"{key}={value}" for key, value in context.items()] + [f"console_dist={tmp_path}"]
    # When the app is synthesized
    code = synth_from_args(args)
    # Then it exits 2 before building anything, naming the folder and the command that builds it
    assert code == 2
    err = capsys.readouterr().err
    assert f"{tmp_path.resolve()} has no index.html" in err
    assert "cd console && npm ci && npm run build" in err
