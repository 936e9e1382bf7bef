"""The Alertmanager webhook through the local API gateway: its shared secret, not a JWT, opens the route.

The gateway routes from the real topology to the real observability API (built from settings against
the local AWS); the secret is seeded into the local Secrets Manager exactly as ``agentic up`` does.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from agentic_common.topology import ALERTMANAGER_WEBHOOK, OBSERVABILITY_API, default_topology
from agentic_local.api_gateway import LocalApiGateway, Router
from agentic_local.auth import LocalVerifier, ensure_signing_key, issue_token
from agentic_local.shared_secrets import ensure_token, seed_shared_secrets
from agentic_observability.bootstrap import build_api

URL_PATH = "/alerts/alertmanager"


@dataclass
class Stack:
    url: str
    secret: str
    home: Path


@pytest.fixture
def stack(aws_settings: Any, aws_clients: Any, queue_urls: dict[str, str], tmp_path: Path) -> Iterator[Stack]:
    ensure_signing_key(tmp_path)
    seed_shared_secrets(
        default_topology(), aws_settings.resource_prefix, tmp_path, aws_clients.client("secretsmanager")
    )
    app = build_api(aws_settings)
    router = Router(default_topology().api_routes, overrides={OBSERVABILITY_API: app.resolve})
    gateway = LocalApiGateway(router, LocalVerifier(tmp_path), port=0).start()
    yield Stack(url=gateway.url, secret=ensure_token(tmp_path, ALERTMANAGER_WEBHOOK), home=tmp_path)
    gateway.stop()


def firing(fingerprint: str) -> dict[str, Any]:
    alert = {
        "status": "firing",
        "fingerprint": fingerprint,
        "startsAt": datetime.now(UTC).isoformat(),
        "labels": {"alertname": "HighErrorRate", "service": f"svc-{fingerprint}", "severity": "critical"},
    }
    return {"version": "4", "status": "firing", "receiver": "agentic", "alerts": [alert]}


def recorded(aws_clients: Any, aws_settings: Any, fingerprint: str) -> bool:
    item = aws_clients.client("dynamodb").get_item(
        TableName=aws_settings.name("alerts"), Key={"fingerprint": {"S": f"alertmanager:{fingerprint}"}}
    )
    return "Item" in item


def test_alertmanager_with_the_right_secret_is_accepted_and_the_alert_recorded(
    stack: Stack, aws_clients: Any, aws_settings: Any
) -> None:
    # Given a firing alert and the webhook's secret, as alertmanager.yml's `authorization` sends it
    fingerprint = uuid.uuid4().hex
    # When Alertmanager posts it through the gateway, with no JWT
    answer = httpx.post(
        f"{stack.url}{URL_PATH}",
        json=firing(fingerprint),
        headers={"Authorization": f"Bearer {stack.secret}"},
    )
    # Then it is accepted and the alert's fingerprint is in the alerts table
    assert answer.status_code == 202, answer.text
    assert answer.json()["new"] == 1
    assert recorded(aws_clients, aws_settings, fingerprint)


def test_a_wrong_secret_gets_401_and_nothing_is_recorded(
    stack: Stack, aws_clients: Any, aws_settings: Any
) -> None:
    fingerprint = uuid.uuid4().hex
    answer = httpx.post(
        f"{stack.url}{URL_PATH}", json=firing(fingerprint), headers={"Authorization": "Bearer guessed"}
    )
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == 401
    assert answer.json()["detail"] == "the webhook secret is not valid (see docs/guide/observability.md)"
    assert not recorded(aws_clients, aws_settings, fingerprint)


def test_a_missing_secret_gets_401_saying_what_to_send(stack: Stack) -> None:
    answer = httpx.post(f"{stack.url}{URL_PATH}", json=firing(uuid.uuid4().hex))
    assert answer.status_code == 401
    assert "send 'Authorization: Bearer <webhook secret>'" in answer.json()["message"]


def test_an_expired_jwt_plays_no_part_on_the_webhook_route(stack: Stack) -> None:
    # Given a JWT that expired a minute ago
    expired = issue_token(stack.home, subject="alertmanager@example.test", ttl_seconds=-60)
    headers = {"Authorization": f"Bearer {expired}"}
    # When it is sent to the webhook route and to a JWT route
    webhook = httpx.post(f"{stack.url}{URL_PATH}", json=firing(uuid.uuid4().hex), headers=headers)
    dora = httpx.get(f"{stack.url}/metrics/dora", headers=headers)
    # Then the webhook route judges it as a (wrong) webhook secret, not as a token that expired
    assert webhook.status_code == 401
    assert webhook.json()["message"].startswith("the webhook secret is not valid")
    # And the JWT route still rejects the expired token
    assert dora.status_code == 401
    assert "expired" in dora.json()["message"]


def test_the_webhook_secret_does_not_open_the_jwt_routes(stack: Stack) -> None:
    headers = {"Authorization": f"Bearer {stack.secret}"}
    for method, path in (("GET", "/metrics/dora"), ("GET", "/alerts"), ("GET", "/workflows")):
        answer = httpx.request(method, f"{stack.url}{path}", headers=headers)
        assert answer.status_code == 401, path
        assert answer.json()["error"] == "unauthorized"


def test_the_secret_never_appears_in_the_logs(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    # Given every log record of the platform's code captured, at its most verbose
    caplog.set_level(logging.INFO)
    for logger in ("agentic_observability", "agentic_common", "agentic_local"):
        caplog.set_level(logging.DEBUG, logger=logger)
    # When the webhook is called with the secret, with a wrong one and without one
    for authorization in (f"Bearer {stack.secret}", f"Bearer {stack.secret}x", None):
        headers = {"Authorization": authorization} if authorization else {}
        httpx.post(f"{stack.url}{URL_PATH}", json=firing(uuid.uuid4().hex), headers=headers)
    # Then the rejections were logged, and no record carries the secret
    assert "webhook request rejected" in caplog.text
    assert stack.secret not in caplog.text
    assert json.dumps(stack.secret) not in caplog.text
