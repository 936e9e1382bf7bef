"""The API route table: longest prefix on a segment boundary; the local gateway dispatches on it."""

from __future__ import annotations

import httpx
from agentic_common.topology import ApiRouteSpec, default_topology, match_route
from agentic_local.api_gateway import LocalApiGateway, Router
from agentic_local.auth import LocalVerifier, ensure_signing_key, issue_token

ROUTES = (
    ApiRouteSpec(path_prefix="/health", service="planner", handler="x:y", public=True),
    ApiRouteSpec(path_prefix="/workflows", service="planner", handler="x:y"),
    ApiRouteSpec(path_prefix="/policy", service="policy", handler="p:q"),
    ApiRouteSpec(path_prefix="/policy/validate", service="validator", handler="v:w"),
)


def test_longest_prefix_on_a_segment_boundary_wins() -> None:
    assert match_route(ROUTES, "/policy/validate").service == "validator"  # type: ignore[union-attr]
    assert match_route(ROUTES, "/policy/waivers/1").service == "policy"  # type: ignore[union-attr]
    assert match_route(ROUTES, "/workflows/abc").service == "planner"  # type: ignore[union-attr]
    assert match_route(ROUTES, "/workflowsx") is None
    assert match_route(ROUTES, "/") is None


def test_the_default_topology_routes_workflows_to_the_planner_and_only_health_and_docs_are_public() -> None:
    topology = default_topology()
    assert topology.route_for("/workflows/1").handler == "agentic_planner.handler:api_handler"  # type: ignore[union-attr]
    public = [r.path_prefix for r in topology.api_routes if r.public]
    assert public == ["/health", "/openapi.json", "/docs"]


def _echo(service: str):  # type: ignore[no-untyped-def]
    def handler(event, context):  # type: ignore[no-untyped-def]
        return {"statusCode": 200, "body": f"{service}:{context.function_name}:{event['rawPath']}"}

    return handler


def test_the_gateway_dispatches_by_route_authorizes_and_404s_unknown_paths(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ensure_signing_key(tmp_path)
    router = Router(ROUTES, overrides={"x:y": _echo("planner"), "p:q": _echo("policy"), "v:w": _echo("v")})
    gateway = LocalApiGateway(router, LocalVerifier(tmp_path), port=0).start()
    try:
        headers = {"Authorization": f"Bearer {issue_token(tmp_path, subject='dev@example.com')}"}
        assert httpx.get(f"{gateway.url}/health").text == "planner:planner-api:/health"
        assert (
            httpx.get(f"{gateway.url}/policy/waivers", headers=headers).text
            == "policy:policy-api:/policy/waivers"
        )
        assert (
            httpx.post(f"{gateway.url}/policy/validate", headers=headers).text
            == "v:validator-api:/policy/validate"
        )
        assert httpx.get(f"{gateway.url}/policy/waivers").status_code == 401
        missing = httpx.get(f"{gateway.url}/nowhere", headers=headers)
        assert missing.status_code == 404
        assert "/workflows" in missing.json()["message"]
    finally:
        gateway.stop()
