"""The observability API (Powertools): Alertmanager intake and DORA, with in-memory adapters."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from agentic_common.bus import RecordingPublisher
from agentic_common.shared_secret import SecretSource, SecretUnavailableError
from agentic_observability.adapters.tables import MemoryAlertLedger
from agentic_observability.api.app import ApiDeps, build_app
from agentic_observability.ports import DeploymentRow, WorkflowRow

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
WEBHOOK_SECRET = "whsec-unit-test-value"
ROWS = [DeploymentRow("dep-7", NOW, "wf-7", "orders", "dev", "abc", "success", "http://127.0.0.1:9")]


class Table:
    def deployments(self) -> list[DeploymentRow]:
        return ROWS

    def workflows(self) -> list[WorkflowRow]:
        return [WorkflowRow("wf-7", "microservice-rest-api", "completed", NOW, NOW)]


def request(
    method: str,
    path: str,
    body: Any = None,
    query: dict[str, str] | None = None,
    *,
    authed: bool = True,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "http": {"method": method, "path": path},
        "requestId": "r",
        "stage": "$default",
    }
    if authed:
        context["authorizer"] = {"jwt": {"claims": {"sub": "alertmanager"}, "scopes": []}}
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json", **(headers or {})},
        "queryStringParameters": query,
        "requestContext": context,
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


def alert(fingerprint: str, service: str = "orders", status: str = "firing", name: str = "HighErrorRate"):
    return {
        "status": status,
        "fingerprint": fingerprint,
        "startsAt": "2026-11-21T11:55:00Z",
        "labels": {"alertname": name, "service": service, "severity": "critical"},
        "annotations": {"summary": "5xx above 5%"},
    }


def hook(*alerts: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": "4",
        "status": "firing",
        "receiver": "agentic",
        "groupKey": "{}:{}",
        "alerts": list(alerts),
    }


def webhook(body: Any, authorization: str | None = f"Bearer {WEBHOOK_SECRET}") -> dict[str, Any]:
    """What Alertmanager sends: no JWT (the route has no JWT authorizer), the shared secret as Bearer."""
    headers = {"authorization": authorization} if authorization is not None else {}
    return request("POST", "/alerts/alertmanager", body, authed=False, headers=headers)


class FixedSecret:
    def __init__(self, value: str) -> None:
        self.value = value

    def current(self, *, refresh: bool = False) -> str | None:
        return self.value


class UnreadableSecret:
    def current(self, *, refresh: bool = False) -> str | None:
        raise SecretUnavailableError("shared secret agentic-dev/alertmanager-webhook could not be read (x)")


def build(secret: SecretSource | None = None):
    publisher = RecordingPublisher("observability")
    deps = ApiDeps(
        reader=Table(),
        ledger=MemoryAlertLedger(),
        publisher=publisher,
        clock=lambda: NOW,
        webhook_secret=secret or FixedSecret(WEBHOOK_SECRET),
    )
    app = build_app(deps)
    return lambda event: app.resolve(event, None), publisher


@pytest.fixture
def api():
    return build()


def test_firing_alerts_become_one_anomaly_per_service(api):
    call, publisher = api
    # Given two alerts for orders and one for billing
    answer = call(webhook(hook(alert("f1"), alert("f2", name="HighLatency"), alert("f3", service="billing"))))
    # Then 202, and one anomaly.detected per service
    assert answer["statusCode"] == 202
    body = json.loads(answer["body"])
    assert body["new"] == 3
    events = publisher.of_type("anomaly.detected")
    assert [e.service for e in events] == ["billing", "orders"]
    orders = events[1]
    assert orders.kind == "alert"
    assert orders.series == "HighErrorRate,HighLatency"
    assert (orders.deployment_id, orders.workflow_id, orders.environment) == ("dep-7", "wf-7", "dev")
    assert orders.score == 1.0


def test_a_repeated_alert_is_a_duplicate_until_it_resolves(api):
    call, publisher = api
    call(webhook(hook(alert("f1"))))
    repeat = json.loads(call(webhook(hook(alert("f1"))))["body"])
    assert repeat["duplicates"] == 1
    assert repeat["published"] == []
    call(webhook(hook(alert("f1", status="resolved"))))
    again = json.loads(call(webhook(hook(alert("f1"))))["body"])
    assert again["new"] == 1
    assert len(publisher.of_type("anomaly.detected")) == 2


def test_an_alert_without_a_service_label_is_reported_not_published(api):
    call, publisher = api
    bare = alert("f9")
    bare["labels"] = {"alertname": "Disk"}
    body = json.loads(call(webhook(hook(bare)))["body"])
    assert body["unattributed"] == ["f9"]
    assert publisher.of_type("anomaly.detected") == []


def test_a_webhook_without_the_secret_is_refused_with_what_to_send(api):
    call, publisher = api
    # When Alertmanager posts without an Authorization header
    answer = call(webhook(hook(alert("f1")), authorization=None))
    # Then 401, saying what to send, and nothing is published
    assert answer["statusCode"] == 401
    body = json.loads(answer["body"])
    assert body["error"] == "unauthorized"
    assert "Authorization: Bearer <webhook secret>" in body["message"]
    assert publisher.of_type("anomaly.detected") == []


def test_a_webhook_with_a_wrong_secret_is_refused_without_echoing_it(api):
    call, publisher = api
    answer = call(webhook(hook(alert("f1")), authorization="Bearer guessed-value"))
    assert answer["statusCode"] == 401
    assert answer["headers"]["WWW-Authenticate"].startswith("Bearer")
    assert "guessed-value" not in answer["body"]
    assert WEBHOOK_SECRET not in answer["body"]
    assert publisher.of_type("anomaly.detected") == []


def test_a_user_jwt_does_not_open_the_webhook_route(api):
    call, _ = api
    # Given a request with valid JWT claims but not the webhook secret
    answer = call(request("POST", "/alerts/alertmanager", hook(alert("f1"))))
    # Then the webhook route still wants its secret
    assert answer["statusCode"] == 401


def test_the_webhook_secret_does_not_open_the_other_routes(api):
    call, _ = api
    # Given the webhook secret but no JWT
    answer = call(
        request("GET", "/metrics/dora", authed=False, headers={"authorization": f"Bearer {WEBHOOK_SECRET}"})
    )
    # Then DORA still requires a JWT
    assert answer["statusCode"] == 401
    assert "bearer token is required" in json.loads(answer["body"])["message"]


def test_an_unreadable_secret_store_is_a_retryable_503_not_a_crash():
    call, publisher = build(UnreadableSecret())
    answer = call(webhook(hook(alert("f1"))))
    assert answer["statusCode"] == 503
    assert json.loads(answer["body"])["error"] == "auth_unavailable"
    assert publisher.of_type("anomaly.detected") == []


def test_a_body_that_is_not_a_webhook_names_the_field(api):
    call, _ = api
    answer = call(webhook({"status": "firing", "alerts": [{"status": "x"}]}))
    assert answer["statusCode"] == 422
    body = json.loads(answer["body"])
    assert body["error"] == "invalid_webhook"
    assert any(e["field"].startswith("alerts.0") for e in body["errors"])


def test_dora_metrics_per_service(api):
    call, _ = api
    answer = call(request("GET", "/metrics/dora", query={"service": "orders", "window": "7d"}))
    assert answer["statusCode"] == 200
    body = json.loads(answer["body"])
    assert body["metrics"][0]["group"] == "orders"
    assert body["metrics"][0]["deployments"] == 1


def test_dora_with_a_bad_window_names_the_field(api):
    call, _ = api
    answer = call(request("GET", "/metrics/dora", query={"window": "forever"}))
    assert answer["statusCode"] == 422
    assert json.loads(answer["body"])["errors"][0]["field"] == "window"
