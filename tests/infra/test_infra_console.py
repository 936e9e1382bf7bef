"""The console's static site: a private bucket behind CloudFront (OAC), its build and config deployed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentic_common.topology import default_topology
from agentic_infra.config import ConfigError, load_config
from agentic_infra.constructs.console import api_path_patterns, site_config

from tests.infra.conftest import AUDIENCE, CONSOLE_CLIENT, CONSOLE_FILES, ISSUER

pytestmark = pytest.mark.slow
DEPLOYMENT = "Custom::CDKBucketDeployment"
TOPOLOGY = default_topology()


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


def test_the_distribution_serves_the_console_https_only_through_origin_access_control_and_logs(synthesized):
    # Given the distribution
    _, props = _the(synthesized, "AWS::CloudFront::Distribution")
    config = props["DistributionConfig"]
    oac, _ = _the(synthesized, "AWS::CloudFront::OriginAccessControl")
    site = synthesized.logical_id(synthesized.stack.console.bucket)
    # Then its default behaviour is the site bucket, signed with OAC, HTTP redirected to HTTPS
    default = config["DefaultCacheBehavior"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    [s3_origin] = [o for o in config["Origins"] if "S3OriginConfig" in o]
    assert s3_origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac, "Id"]}
    assert s3_origin["DomainName"] == {"Fn::GetAtt": [site, "RegionalDomainName"]}
    assert default["TargetOriginId"] == s3_origin["Id"]
    # And every request is logged to the platform's access-log bucket
    assert config["Logging"]["Prefix"] == "console-cdn/"


def test_every_api_route_is_passed_to_the_http_api_with_the_token_in_the_cache_key(synthesized):
    # Given the distribution's extra behaviours and the API's origin
    _, props = _the(synthesized, "AWS::CloudFront::Distribution")
    config = props["DistributionConfig"]
    behaviors = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    [api_origin] = [o for o in config["Origins"] if "CustomOriginConfig" in o]
    api = synthesized.logical_id(synthesized.stack.api.api)
    policy = synthesized.logical_id(synthesized.stack.console.api_cache_policy)
    # Then the origin is the HTTP API over TLS 1.2
    assert json.dumps({"Ref": api}) in json.dumps(api_origin["DomainName"])
    assert api_origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert api_origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]
    # And every topology route prefix reaches it, any method, HTTPS only, keyed by the bearer token
    for route in TOPOLOGY.api_routes:
        pattern = next(p for p in behaviors if route.path_prefix.startswith(p.removesuffix("*")))
        behavior = behaviors[pattern]
        assert behavior["TargetOriginId"] == api_origin["Id"]
        assert behavior["ViewerProtocolPolicy"] == "https-only"
        assert "DELETE" in behavior["AllowedMethods"]
        assert behavior["CachePolicyId"] == {"Ref": policy}
    [cache] = [p["CachePolicyConfig"] for p in synthesized.props("AWS::CloudFront::CachePolicy")]
    keys = cache["ParametersInCacheKeyAndForwardedToOrigin"]
    assert keys["HeadersConfig"] == {"HeaderBehavior": "whitelist", "Headers": ["Authorization"]}
    assert cache["DefaultTTL"] == 0


def test_api_path_patterns_are_one_per_prefix_none_covered_by_another():
    assert api_path_patterns(["/workflows", "/alerts", "/alerts/alertmanager", "/policy/"]) == [
        "/alerts*",
        "/policy*",
        "/workflows*",
    ]


def test_the_deploy_uploads_exactly_the_console_build_output(synthesized):
    # Given the bucket deployment and the assets it copies
    _, props = _the(synthesized, DEPLOYMENT)
    folders = [_asset_folder(synthesized, key) for key in props["SourceObjectKeys"]]
    # Then one asset is the build output, file for file
    build = next(folder for folder in folders if (folder / "index.html").is_file())
    files = {str(p.relative_to(build)): p.read_text() for p in build.rglob("*") if p.is_file()}
    assert files == CONSOLE_FILES
    # And it goes under console/ in the site bucket (the console's base path), replacing what was there
    assert props["DestinationBucketName"] == {"Ref": synthesized.logical_id(synthesized.stack.console.bucket)}
    assert props["DestinationBucketKeyPrefix"] == "console/"
    assert props["Prune"] is True
    # And the CDN forgets the old console
    assert props["DistributionPaths"] == ["/console/*"]


def test_config_json_names_the_api_base_url_the_environment_and_the_oidc_sign_in(synthesized):
    # Given the bucket deployment's config.json source and its deploy-time markers
    _, props = _the(synthesized, DEPLOYMENT)
    folders = [_asset_folder(synthesized, key) for key in props["SourceObjectKeys"]]
    index = next(i for i, folder in enumerate(folders) if (folder / "config.json").is_file())
    text = (folders[index] / "config.json").read_text()
    markers = props["SourceMarkers"][index]
    # Then at deploy time each marker becomes a string built on the distribution's own address
    distribution = synthesized.logical_id(synthesized.stack.console.distribution)
    domain = {"Fn::GetAtt": [distribution, "DomainName"]}
    for marker, value in markers.items():
        [separator, parts] = value["Fn::Join"]
        assert domain in parts
        resolved = separator.join("d1.cloudfront.test" if part == domain else part for part in parts)
        text = text.replace(marker, resolved)
    # And config.json holds the API base URL, the environment and the console's sign-in: the authorizer's
    # issuer, the client id, the console's own URL to come back to
    deployed = json.loads(text)
    assert deployed == {
        "apiBaseUrl": "https://d1.cloudfront.test",
        "environment": "dev",
        "oidc": {
            "issuer": ISSUER,
            "clientId": CONSOLE_CLIENT,
            "redirectUri": "https://d1.cloudfront.test/console/",
            "scope": "openid",
            "token": "access_token",
        },
    }


def test_without_a_console_client_id_config_json_has_no_sign_in(peers):
    config = load_config({"env": "dev", "jwt_issuer": ISSUER, "jwt_audience": AUDIENCE, **peers.context()})
    assert site_config(config, "https://d1.cloudfront.test") == {
        "apiBaseUrl": "https://d1.cloudfront.test",
        "environment": "dev",
    }


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("console_oidc_client_id", "client id with spaces"),
        ("console_oidc_scope", "profile email"),
        ("console_oidc_token", "refresh_token"),
    ],
)
def test_a_console_sign_in_setting_that_cannot_work_fails_naming_the_context_key(key, value, peers):
    context = {"env": "dev", "jwt_issuer": ISSUER, "jwt_audience": AUDIENCE, **peers.context()}
    context["console_oidc_client_id"] = "c1"
    with pytest.raises(ConfigError, match=f"context {key}"):
        load_config(context | {key: value})


def test_a_folder_address_is_served_its_index_html(synthesized):
    # Given the viewer-request function of the console's behaviour
    [function] = synthesized.props("AWS::CloudFront::Function")
    # Then "/" and "/console/" (the CLI's link) are rewritten to the console's index.html
    assert '"/console/index.html"' in function["FunctionCode"]
    assert 'request.uri += "index.html"' in function["FunctionCode"]


def test_the_console_url_is_a_stack_output(synthesized):
    assert "ConsoleUrl" in synthesized.template["Outputs"]


def test_the_redirect_uri_to_register_at_the_oidc_provider_is_a_stack_output(synthesized):
    output = synthesized.template["Outputs"]["ConsoleSignInRedirect"]
    assert CONSOLE_CLIENT in output["Description"]
    assert output["Value"] == synthesized.template["Outputs"]["ConsoleUrl"]["Value"]


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
    assert "python3 scripts/build_console.py" in err
