"""The HTTP API: routes from the topology, JWT authorizer from context, throttling, access logs."""

from __future__ import annotations

import json

import pytest
from agentic_common.topology import default_topology
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
        # And it requires a JWT unless the topology marks it public
        if route.public:
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
    assert authorizer["JwtConfiguration"] == {
        "Issuer": synthesized.context["jwt_issuer"],
        "Audience": [synthesized.context["jwt_audience"]],
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
