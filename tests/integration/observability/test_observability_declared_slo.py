"""The monitor, built as the worker builds it, holds a deployment to the SLO its service declared (the
verify task's, read from the workflows table on the local AWS) when it is stricter than the environment's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from agentic_common.events.observability import Slo
from agentic_common.runtime import ServiceRuntime
from agentic_common.state import TaskRecord, WorkflowRecord, WorkflowStatus
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_observability.adapters.declared_slo import WorkflowDeclaredObjectives
from agentic_observability.bootstrap import build_monitor
from agentic_observability.ports import DeploymentRow
from agentic_observability.settings import ObservabilitySettings

from tests.integration.observability.test_observability_moto_tables import anomalies_on, put_deployment

if TYPE_CHECKING:
    from conftest import RunningService

NOW = datetime.now(UTC)
DECLARED = {"p95_latency_ms": 250, "max_error_rate": 0.001, "requests": 50}


def put_verified_workflow(store: DynamoDBStateStore, workflow_id: str, slo: dict[str, float] | None) -> None:
    record = WorkflowRecord(
        workflow_id=workflow_id,
        status=WorkflowStatus.COMPLETED,
        template="microservice-rest-api",
        parameters={},
        requested_by="dev",
        created_at=NOW,
        updated_at=NOW,
    )
    outputs = {"url": "http://127.0.0.1:9", "verified": True} | ({"slo": slo} if slo else {})
    verify = TaskRecord(
        workflow_id=workflow_id, task_id="verify", agent="observability", action="verify",
        created_at=NOW, updated_at=NOW, outputs=outputs,
    )  # fmt: skip
    store.create_workflow(record, [verify])


def row(workflow_id: str) -> DeploymentRow:
    return DeploymentRow("dep-1", NOW, workflow_id, "orders", "dev", "abc", "success", "http://127.0.0.1:9")


def test_the_declared_slo_is_read_from_the_verify_task_of_the_deployments_workflow(
    aws_settings, aws_clients, queue_urls
):
    # Given a workflow whose verification held the service to its own SLO
    store = DynamoDBStateStore(aws_clients.client("dynamodb"), aws_settings.name("workflows"))
    workflow_id = f"wf-{uuid.uuid4().hex[:8]}"
    put_verified_workflow(store, workflow_id, DECLARED)
    # When the adapter is asked for the deployment's declared SLO
    declared = WorkflowDeclaredObjectives(store).declared(row(workflow_id))
    # Then it is that SLO
    assert declared == Slo.model_validate(DECLARED)


def test_a_workflow_without_a_verified_slo_declares_none(aws_settings, aws_clients, queue_urls):
    store = DynamoDBStateStore(aws_clients.client("dynamodb"), aws_settings.name("workflows"))
    workflow_id = f"wf-{uuid.uuid4().hex[:8]}"
    put_verified_workflow(store, workflow_id, None)
    assert WorkflowDeclaredObjectives(store).declared(row(workflow_id)) is None
    assert WorkflowDeclaredObjectives(store).declared(row("wf-never-created")) is None


def test_an_unhealthy_deployment_is_judged_on_its_services_stricter_slo(
    aws_settings, aws_clients, empty_queues, health_service: RunningService
):
    # Given a deployment whose workflow verified it against a stricter SLO than dev's
    service = f"svc-{uuid.uuid4().hex[:8]}"
    workflow_id = f"wf-{service}"
    store = DynamoDBStateStore(aws_clients.client("dynamodb"), aws_settings.name("workflows"))
    put_verified_workflow(store, workflow_id, DECLARED)
    put_deployment(
        aws_clients,
        aws_settings,
        f"{service}-1",
        service,
        NOW,
        url=health_service.url,
        workflow_id=workflow_id,
    )
    monitor = build_monitor(
        ServiceRuntime("observability", aws_settings, aws_clients),
        ObservabilitySettings(observability_metrics_source="none"),
    )
    monitor.poll_once()
    # When it fails its health checks
    health_service.behaviour.fail_every = 1
    for _ in range(3):
        monitor.poll_once()
    # Then the anomaly's evidence is judged on the declared objective, and is actionable
    [anomaly] = anomalies_on(aws_clients, empty_queues["remediation-events"], service)
    check = anomaly["check"]
    assert (check["metric"], check["objective"], check["actionable"]) == ("health", 0.001, True)
    assert check["objective_source"] == "service SLO, stricter than environment dev"
