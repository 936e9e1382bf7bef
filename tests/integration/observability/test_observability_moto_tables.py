"""Observability against the local AWS (moto): DORA from seeded tables, Alertmanager intake to the bus,
the deployment monitor on a real loopback service, CloudWatch counts."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.runtime import ServiceRuntime
from agentic_common.settings import CommonSettings
from agentic_common.state import WorkflowRecord, WorkflowStatus
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.topology import ALERTMANAGER_WEBHOOK, default_topology
from agentic_local.shared_secrets import ensure_token, seed_shared_secrets
from agentic_observability.adapters.cloudwatch import CloudWatchSource
from agentic_observability.bootstrap import build_api, build_monitor
from agentic_observability.ports import MetricsTarget
from agentic_observability.settings import ObservabilitySettings

if TYPE_CHECKING:
    from conftest import RunningService

NOW = datetime.now(UTC)


def put_deployment(
    clients: AwsClients,
    settings: CommonSettings,
    dep: str,
    service: str,
    at: datetime,
    *,
    status: str = "success",
    url: str = "http://127.0.0.1:9",
    workflow_id: str | None = None,
) -> None:
    item = {
        "deployment_id": dep,
        "timestamp": at.isoformat(timespec="microseconds"),
        "workflow_id": workflow_id or f"wf-{dep}",
        "task_id": "deploy",
        "service_name": service,
        "environment": "dev",
        "version": "abc",
        "status": status,
        "target": "local-process",
        "url": url,
    }
    clients.client("dynamodb").put_item(
        TableName=settings.name("deployments"),
        Item={k: {"S": v} for k, v in item.items()} | {"expires_at": {"N": str(int(at.timestamp()) + 86400)}},
    )


def put_workflow(
    clients: AwsClients,
    settings: CommonSettings,
    workflow_id: str,
    created: datetime,
    status: WorkflowStatus = WorkflowStatus.COMPLETED,
) -> None:
    store = DynamoDBStateStore(clients.client("dynamodb"), settings.name("workflows"))
    store.create_workflow(
        WorkflowRecord(
            workflow_id=workflow_id,
            status=status,
            template="microservice-rest-api",
            parameters={},
            requested_by="dev",
            created_at=created,
            updated_at=created,
        ),
        [],
    )


def request(
    method: str,
    path: str,
    body: Any = None,
    query: dict[str, str] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    context = {
        "http": {"method": method, "path": path},
        "requestId": "r",
        "stage": "$default",
        "authorizer": {"jwt": {"claims": {"sub": "alertmanager"}, "scopes": []}},
    }
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers or {},
        "queryStringParameters": query,
        "requestContext": context,
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


def anomalies_on(clients: AwsClients, url: str, service: str) -> list[dict[str, Any]]:
    sqs, found = clients.client("sqs"), []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
        "Messages"
    ):
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            event = json.loads(message["Body"])
            if event["detail-type"] == "anomaly.detected" and event["detail"].get("service") == service:
                found.append(event["detail"])
    return found


@pytest.fixture
def service_name() -> str:
    return f"svc-{uuid.uuid4().hex[:8]}"


def test_dora_metrics_come_from_the_seeded_tables(aws_settings, aws_clients, queue_urls, service_name):
    # Given two deployments of a service, the first failed, each with its workflow
    put_workflow(
        aws_clients, aws_settings, f"wf-{service_name}-1", NOW - timedelta(hours=30), WorkflowStatus.FAILED
    )
    put_workflow(aws_clients, aws_settings, f"wf-{service_name}-2", NOW - timedelta(hours=26))
    put_deployment(
        aws_clients,
        aws_settings,
        f"{service_name}-1",
        service_name,
        NOW - timedelta(hours=29),
        status="failed",
        workflow_id=f"wf-{service_name}-1",
    )
    put_deployment(
        aws_clients,
        aws_settings,
        f"{service_name}-2",
        service_name,
        NOW - timedelta(hours=25),
        workflow_id=f"wf-{service_name}-2",
    )
    # When asking the API for that service over 7 days
    answer = build_api(aws_settings).resolve(
        request("GET", "/metrics/dora", query={"service": service_name, "window": "7d"}), None
    )
    # Then
    assert answer["statusCode"] == 200
    [metrics] = json.loads(answer["body"])["metrics"]
    assert metrics["deployments"] == 2
    assert metrics["change_failure_rate"] == 0.5
    assert metrics["lead_time_hours"] == pytest.approx(1.0, abs=0.01)
    assert metrics["time_to_restore_hours"] == pytest.approx(4.0, abs=0.01)


def test_an_alertmanager_alert_reaches_remediation_once(
    aws_settings, aws_clients, empty_queues, service_name, tmp_path
):
    # Given a running deployment of the service and a firing alert for it
    put_deployment(aws_clients, aws_settings, f"{service_name}-1", service_name, NOW)
    alert = {
        "status": "firing",
        "fingerprint": f"fp-{service_name}",
        "startsAt": NOW.isoformat(),
        "labels": {"alertname": "HighErrorRate", "service": service_name, "severity": "critical"},
    }
    hook = {"version": "4", "status": "firing", "receiver": "agentic", "alerts": [alert]}
    client = aws_clients.client("secretsmanager")
    seed_shared_secrets(default_topology(), aws_settings.resource_prefix, tmp_path, client)
    secret = {"authorization": f"Bearer {ensure_token(tmp_path, ALERTMANAGER_WEBHOOK)}"}
    api = build_api(aws_settings)
    # When Alertmanager sends it twice (its repeat_interval), with the webhook's secret
    first = api.resolve(request("POST", "/alerts/alertmanager", hook, headers=secret), None)
    second = api.resolve(request("POST", "/alerts/alertmanager", hook, headers=secret), None)
    # Then remediation-events receives one anomaly.detected, and the fingerprint is in the alerts table
    assert (first["statusCode"], json.loads(second["body"])["duplicates"]) == (202, 1)
    [anomaly] = anomalies_on(aws_clients, empty_queues["remediation-events"], service_name)
    assert (anomaly["kind"], anomaly["deployment_id"]) == ("alert", f"{service_name}-1")
    stored = aws_clients.client("dynamodb").get_item(
        TableName=aws_settings.name("alerts"), Key={"fingerprint": {"S": f"alertmanager:fp-{service_name}"}}
    )
    assert int(stored["Item"]["expires_at"]["N"]) > NOW.timestamp()


def test_the_monitor_reports_a_broken_service_once(
    aws_settings, aws_clients, empty_queues, service_name, health_service: RunningService
):
    # Given a deployment of a real service on loopback, watched by the monitor as the worker builds it
    put_deployment(aws_clients, aws_settings, f"{service_name}-1", service_name, NOW, url=health_service.url)
    runtime = ServiceRuntime("observability", aws_settings, aws_clients)
    monitor = build_monitor(runtime, ObservabilitySettings(observability_metrics_source="none"))
    monitor.poll_once()
    # When the service starts failing every request and is polled four times
    health_service.behaviour.fail_every = 1
    for _ in range(4):
        monitor.poll_once()
    # Then remediation hears exactly one anomaly.detected for it
    [anomaly] = anomalies_on(aws_clients, empty_queues["remediation-events"], service_name)
    assert anomaly["kind"] == "unhealthy"
    assert anomaly["deployment_id"] == f"{service_name}-1"
    assert anomaly["workflow_id"] == f"wf-{service_name}-1"


def test_cloudwatch_counts_requests_and_server_errors_over_the_wire(aws_clients, service_name):
    # Given latency samples and server errors published for the service
    cw = aws_clients.client("cloudwatch")
    dims = [{"Name": "Service", "Value": service_name}, {"Name": "Environment", "Value": "dev"}]
    at = datetime.now(UTC) - timedelta(seconds=90)  # now, not at collection: the suite may run for minutes
    cw.put_metric_data(
        Namespace="Agentic/Services",
        MetricData=[
            {
                "MetricName": "RequestLatency",
                "Dimensions": dims,
                "Timestamp": at,
                "Unit": "Milliseconds",
                "Values": [12.0, 40.0, 250.0],
                "Counts": [70, 25, 5],
            },
            {"MetricName": "ServerErrors", "Dimensions": dims, "Timestamp": at, "Value": 4, "Unit": "Count"},
        ],
    )
    # When counting over five minutes
    counts = CloudWatchSource(cw).counts(MetricsTarget(service_name, "dev", "http://x", window_seconds=300))
    # Then
    assert counts == (100, 4)
