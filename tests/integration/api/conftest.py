"""The whole API behind the real local gateway on loopback; every service's API built on the local AWS.

The gateway calls each service's real API entry point (policy and observability: their Lambda handler
with its app built here from test settings; the planner: ``Planner.handle_api``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from agentic_common.topology import ALERTMANAGER_WEBHOOK, PLANNER_API, default_topology
from agentic_local.api_gateway import LocalApiGateway, Router
from agentic_local.auth import LocalVerifier, ensure_signing_key, issue_token
from agentic_local.shared_secrets import ensure_token, seed_shared_secrets
from agentic_observability import handler as observability_handler
from agentic_observability.bootstrap import build_api as build_observability_api
from agentic_planner.bootstrap import build as build_planner
from agentic_planner.settings import PlannerSettings
from agentic_policy import handler as policy_handler
from agentic_policy.bootstrap import build_api as build_policy_api
from agentic_policy.settings import PolicySettings
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver


@dataclass
class Gateway:
    url: str
    token: str
    host: str
    port: int
    webhook_secret: str
    apps: dict[str, APIGatewayHttpResolver]


@pytest.fixture(scope="module")
def gateway(
    aws_settings: Any, aws_clients: Any, queue_urls: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    home: Path = tmp_path_factory.mktemp("api-home")
    ensure_signing_key(home)
    seed_shared_secrets(
        default_topology(), aws_settings.resource_prefix, home, aws_clients.client("secretsmanager")
    )
    endpoint = aws_settings.aws_endpoint_url
    planner = build_planner(PlannerSettings(agentic_env="test", aws_endpoint_url=endpoint, agentic_home=home))
    policy = build_policy_api(
        PolicySettings(agentic_env="test", aws_endpoint_url=endpoint, agentic_home=home)
    )
    observability = build_observability_api(aws_settings)
    with pytest.MonkeyPatch.context() as patch:
        # The gateway runs policy and observability in spawned execution environments that build their
        # API from the environment (the patched _api below is this process's): the same settings here
        patch.setenv("AGENTIC_ENV", "test")
        patch.setenv("AGENTIC_HOME", str(home))
        patch.setattr(policy_handler, "_api", policy)
        patch.setattr(observability_handler, "_api", observability)
        router = Router(default_topology().api_routes, overrides={PLANNER_API: planner.handle_api})
        server = LocalApiGateway(router, LocalVerifier(home), port=0, read_timeout=2.0).start()
        host, port = server.url.removeprefix("http://").split(":")
        secret = ensure_token(home, ALERTMANAGER_WEBHOOK)
        apps = {"planner": planner.api, "policy": policy, "observability": observability}
        yield Gateway(server.url, issue_token(home), host, int(port), webhook_secret=secret, apps=apps)
        server.stop()
