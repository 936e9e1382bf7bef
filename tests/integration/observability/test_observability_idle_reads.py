"""The monitor as the worker builds it, on the local AWS: it reads the deployments table when something
may have changed (its first poll, a verify task, a failing probe), not on every poll. Its DynamoDB calls
are counted by a botocore ``before-call`` hook on the client it uses. Any deployment that ends is heard of
through its ``deployment.completed`` (the observability-deployments rule), a deploy-only one too."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.events import Envelope
from agentic_common.events.deployment import DeploymentCompleted
from agentic_common.events.registry import parse_eventbridge_message
from agentic_common.records.deployments import DeploymentRecord, expires_at
from agentic_common.records.deployments_dynamodb import DynamoDBDeploymentHistory
from agentic_common.runtime import ServiceRuntime
from agentic_common.settings import CommonSettings
from agentic_common.topology import default_topology
from agentic_local.provision import provision
from agentic_observability.adapters.http_prober import HttpxProber
from agentic_observability.bootstrap import build_monitor, build_watch
from agentic_observability.logic.deployment_watch import heeding_deployments
from agentic_observability.logic.monitor import Monitor
from agentic_observability.logic.verify import make_work
from agentic_observability.settings import ObservabilitySettings

from tests.helpers import task_created

if TYPE_CHECKING:
    from conftest import RunningService

SLO = {"p95_latency_ms": 500, "max_error_rate": 0.01, "requests": 20}


class Counted:
    """The worker's monitor and verify work on fresh clients whose DynamoDB calls are counted."""

    def __init__(self, settings: CommonSettings) -> None:
        self.clients = AwsClients(settings)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.deployments = settings.name("deployments")
        self.clients.client("dynamodb").meta.events.register(
            "before-parameter-build", lambda params, model, **_: self.calls.append((model.name, params))
        )
        runtime = ServiceRuntime("observability", settings, self.clients)
        own = ObservabilitySettings(observability_metrics_source="none")
        self.watch = build_watch(runtime, own)
        self.monitor: Monitor = build_monitor(runtime, own, self.watch)
        self.verify = make_work(HttpxProber(timeout_seconds=2.0), monitor=self.monitor)

    def calls_of(self, action: Any) -> list[str]:
        """The DynamoDB operations ``action`` made, all tables."""
        self.calls.clear()
        action()
        return [name for name, _ in self.calls]

    def reads_of(self, action: Any) -> list[str]:
        """Reads of the deployments table ``action`` made (a failing probe also writes the alerts ledger)."""
        self.calls.clear()
        action()
        return [name for name, params in self.calls if params.get("TableName") == self.deployments]


def record(settings: CommonSettings, service: str, url: str) -> DeploymentRecord:
    at = datetime.now(UTC)
    deployment = DeploymentRecord(
        deployment_id=f"dep-{uuid.uuid4().hex[:12]}",
        timestamp=at,
        workflow_id=f"wf-{service}",
        task_id="deploy",
        service_name=service,
        environment="dev",
        version="abc123",
        status="success",
        target="local-process",
        expires_at=expires_at(at),
        url=url,
    )
    history = DynamoDBDeploymentHistory(AwsClients(settings).client("dynamodb"), settings.name("deployments"))
    history.record(deployment)
    return deployment


def verify_task(deployment: DeploymentRecord) -> Any:
    outputs = {
        "deployment_id": deployment.deployment_id,
        "service_name": deployment.service_name,
        "environment": deployment.environment,
        "version": deployment.version,
        "url": deployment.url,
        "target": deployment.target,
        "duration_seconds": 1.0,
    }
    return task_created("observability", config={"slo": SLO}, upstream={"deploy": outputs})


@pytest.fixture
def own_settings(moto_server: Any) -> CommonSettings:
    """Tables of this test's own (and the bus its incidents go to): the session's tables hold other
    tests' deployments, whose dead URLs would fail the monitor's probes."""
    settings = CommonSettings(agentic_env=f"idle{uuid.uuid4().hex[:8]}", aws_endpoint_url=moto_server.url)
    tables_only = default_topology().model_copy(
        update={"queues": (), "rules": (), "buckets": (), "schedules": ()}
    )
    provision(tables_only, settings, AwsClients(settings))
    return settings


@pytest.fixture
def counted(own_settings: CommonSettings) -> Counted:
    return Counted(own_settings)


@pytest.fixture
def service_name() -> str:
    return f"idle-{uuid.uuid4().hex[:8]}"


def test_a_quiet_monitor_reads_the_table_once_then_only_probes(
    counted: Counted, own_settings: CommonSettings, service_name: str, health_service: RunningService
) -> None:
    # Given a healthy deployment in the table when the worker starts
    record(own_settings, service_name, health_service.url)
    # When the monitor polls for the first time, it reads the table
    assert counted.calls_of(counted.monitor.poll_once) != []
    probed = len(health_service.behaviour.seen)
    # Then later polls make no AWS call, and still probe the service
    for _ in range(3):
        assert counted.calls_of(counted.monitor.poll_once) == []
    assert len(health_service.behaviour.seen) > probed


def test_a_verify_task_makes_the_next_poll_read_the_new_deployment(
    counted: Counted, own_settings: CommonSettings, service_name: str, health_service: RunningService
) -> None:
    # Given a monitor that has read the table and is quiet
    counted.monitor.poll_once()
    assert counted.calls_of(counted.monitor.poll_once) == []
    # When a new deployment is recorded and verified
    deployment = record(own_settings, service_name, health_service.url)
    assert counted.verify(verify_task(deployment)).outputs.verified is True
    # Then the next poll reads the table (and only that poll), and the new deployment is watched
    seen = len(health_service.behaviour.seen)
    assert counted.calls_of(counted.monitor.poll_once) != []
    assert len(health_service.behaviour.seen) > seen
    assert counted.calls_of(counted.monitor.poll_once) == []


def test_a_failing_deployment_keeps_the_monitor_reading_while_remediation_may_act(
    counted: Counted, own_settings: CommonSettings, service_name: str, health_service: RunningService
) -> None:
    # Given a watched deployment that starts failing its health probes
    record(own_settings, service_name, health_service.url)
    counted.monitor.poll_once()
    health_service.behaviour.fail_every = 1
    counted.monitor.poll_once()  # the first failed probe: remediation may act from now on
    # Then every following poll reads the table, so a rollback's or restart's rows are seen at once
    for _ in range(3):
        assert counted.reads_of(counted.monitor.poll_once) != []


def test_any_deployment_that_ends_is_watched_from_the_next_poll_without_a_read(
    moto_server: Any, health_service: RunningService
) -> None:
    # Given the whole topology (bus, rules, queues) of an environment of this test's own, a quiet monitor
    settings = CommonSettings(agentic_env=f"dep{uuid.uuid4().hex[:8]}", aws_endpoint_url=moto_server.url)
    clients = AwsClients(settings)
    provision(default_topology(), settings, clients)
    counted = Counted(settings)
    counted.monitor.poll_once()
    assert counted.calls_of(counted.monitor.poll_once) == []
    # When a deploy-only workflow's deployment ends (recorded, then deployment.completed on the bus)
    deployment = record(settings, f"deploy-only-{uuid.uuid4().hex[:6]}", health_service.url)
    outputs = verify_task(deployment).upstream["deploy"]
    runtime = ServiceRuntime("deployment", settings, clients)
    runtime.publisher.publish(
        DeploymentCompleted(workflow_id=deployment.workflow_id, task_id="deploy", outputs=outputs)
    )
    # Then the event reaches the observability worker's queue (the observability-deployments rule) ...
    sqs = clients.client("sqs")
    queue = ServiceRuntime("observability", settings, clients).queue_url("observability-tasks")
    messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5).get("Messages", [])
    assert len(messages) == 1
    # ... where the worker's handler hands it to the watch, not to the verify agent, and the next poll
    # probes the new service without reading the table: the event said what to watch
    not_a_task: list[Envelope] = []
    heeding_deployments(counted.watch, not_a_task.append)(parse_eventbridge_message(messages[0]["Body"]))
    assert not_a_task == []
    seen = len(health_service.behaviour.seen)
    assert counted.calls_of(counted.monitor.poll_once) == []
    assert len(health_service.behaviour.seen) > seen
    # and its verification, which follows, reads nothing either
    assert counted.verify(verify_task(deployment)).outputs.verified is True
    assert counted.reads_of(counted.monitor.poll_once) == []
