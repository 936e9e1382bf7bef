"""The HTTP API: routes from the topology, JWT authorizer from context, throttling, access logs."""

from __future__ import annotations

import json

import pytest
from agentic_common.topology import OBSERVABILITY_API, default_topology
from agentic_infra.constructs.api import route_paths

pytestmark = pytest.mark.slow
TOPOLOGY = default_topology()


def _routes(synthesized):
    return {p["RouteKey"]: p for p in synthesized.props("AWS::ApiGatewayV2::Route")}


def test_route_paths_cover_the_prefix_and_everything_below_it():
    assert route_paths("/workflows") == ("/workflows", "/workflows/{proxy+}")
    assert route_paths("/policy/") == ("/policy", "/policy/{proxy+}")


@pytest.mark.parametrize("route", TOPOLOGY.api_routes, ids=lambda r: r.path_prefix)
def test_every_topology_route_is_two_any_routes_to_its_handler_function(synthesized, route):
    # Given the routes and integrations in the template
    routes = _routes(synthesized)
    integrations = synthesized.resources("AWS::ApiGatewayV2::Integration")
    function = next(
        fn
        for group in synthesized.stack.functions.values()
        for handler, fn in group.api_functions.items()
        if handler == route.handler
    )
    for path in route_paths(route.path_prefix):
        # When we look the route up by its key
        props = routes[f"ANY {path}"]
        # Then it targets the Lambda integration of the route's handler function
        integration_id = props["Target"]["Fn::Join"][1][1]["Ref"]
        uri = integrations[integration_id]["Properties"]["IntegrationUri"]
        assert uri == {"Fn::GetAtt": [synthesized.logical_id(function), "Arn"]}
        # And it requires a JWT unless the topology marks it public or shared-secret (checked by the handler)
        if route.public or route.shared_secret:
            assert props["AuthorizationType"] == "NONE"
        else:
            assert props["AuthorizationType"] == "JWT"


def test_there_are_no_routes_beyond_the_topology(synthesized):
    expected = {f"ANY {p}" for r in TOPOLOGY.api_routes for p in route_paths(r.path_prefix)}
    assert set(_routes(synthesized)) == expected


def test_the_jwt_authorizer_checks_the_issuer_and_audience_from_context(synthesized):
    [authorizer] = synthesized.props("AWS::ApiGatewayV2::Authorizer")
    assert authorizer["AuthorizerType"] == "JWT"
    assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
    # the Backstage audience, and the console's OIDC client (its sign-in tokens carry that audience)
    assert authorizer["JwtConfiguration"] == {
        "Issuer": synthesized.context["jwt_issuer"],
        "Audience": [synthesized.context["jwt_audience"], synthesized.context["console_oidc_client_id"]],
    }


def test_the_default_stage_throttles_at_1000_rps_and_writes_json_access_logs(synthesized):
    [stage] = synthesized.props("AWS::ApiGatewayV2::Stage")
    assert stage["StageName"] == "$default"
    assert stage["AutoDeploy"] is True
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == 1000
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 2000
    log_format = json.loads(stage["AccessLogSettings"]["Format"])
    assert {"requestId", "status", "routeKey", "latencyMs"} <= set(log_format)
    log_group = synthesized.logical_id(synthesized.stack.api.access_logs)
    assert stage["AccessLogSettings"]["DestinationArn"] == {"Fn::GetAtt": [log_group, "Arn"]}


def test_the_api_url_is_a_stack_output_for_backstage(synthesized):
    assert "ApiUrl" in synthesized.template["Outputs"]


def _policy_statements_for(synthesized, secret_id):
    for policy in synthesized.props("AWS::IAM::Policy"):
        for statement in policy["PolicyDocument"]["Statement"]:
            resources = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            if {"Ref": secret_id} in resources:
                yield policy, statement


def test_the_alertmanager_webhook_route_has_its_own_shared_secret_instead_of_the_jwt(synthesized):
    # Given the routes of the template
    routes = _routes(synthesized)
    # Then the webhook's routes carry no JWT authorizer, while the rest of /alerts keeps it
    assert routes["ANY /alerts/alertmanager"]["AuthorizationType"] == "NONE"
    assert routes["ANY /alerts/alertmanager/{proxy+}"]["AuthorizationType"] == "NONE"
    assert routes["ANY /alerts/{proxy+}"]["AuthorizationType"] == "JWT"
    # And every other non-public route requires the JWT
    jwt_free = {k for k, v in routes.items() if v["AuthorizationType"] == "NONE"}
    assert jwt_free == {
        "ANY /health",
        "ANY /health/{proxy+}",
        "ANY /openapi.json",
        "ANY /openapi.json/{proxy+}",
        "ANY /docs",
        "ANY /docs/{proxy+}",
        "ANY /alerts/alertmanager",
        "ANY /alerts/alertmanager/{proxy+}",
    }


def test_the_webhook_secret_is_generated_and_readable_only_by_the_observability_api(synthesized):
    # Given the webhook's secret and the observability API function
    secret = synthesized.stack.api.shared_secrets["alertmanager-webhook"]
    secret_id = synthesized.logical_id(secret)
    props = synthesized.template["Resources"][secret_id]["Properties"]
    function = synthesized.stack.functions["observability"].api_functions[OBSERVABILITY_API]
    function_props = synthesized.template["Resources"][synthesized.logical_id(function)]["Properties"]
    # Then the secret is generated by Secrets Manager as {"token": ...}, named <prefix>/alertmanager-webhook
    assert props["Name"] == f"agentic-{synthesized.context['env']}/alertmanager-webhook"
    assert props["GenerateSecretString"]["GenerateStringKey"] == "token"
    assert "SecretString" not in props
    # And the function is told where it is (the variable its settings read) and may read it
    assert function_props["Environment"]["Variables"]["ALERTMANAGER_WEBHOOK_SECRET_ID"] == {"Ref": secret_id}
    grants = list(_policy_statements_for(synthesized, secret_id))
    assert grants
    role = synthesized.logical_id(synthesized.stack.functions["observability"].role)
    for policy, statement in grants:
        assert policy["Roles"] == [{"Ref": role}]
        assert "secretsmanager:GetSecretValue" in statement["Action"]
