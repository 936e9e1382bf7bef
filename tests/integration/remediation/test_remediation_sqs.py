"""The remediation consumer against the local AWS (moto): triggers in, records, actions and approvals out."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from agentic_common.approvals.dynamodb import DynamoDBApprovalStore
from agentic_common.aws import AwsClients
from agentic_common.events import EventDetail
from agentic_common.events.approvals import decided_event
from agentic_common.events.observability import (
    AnomalyDetected,
    ProbeMeasurements,
    Slo,
    SloCheck,
    VerificationOutputs,
)
from agentic_common.events.policy import PolicyOutputs, PolicyViolated, Violation
from agentic_common.events.remediation import RemediationActionCompleted
from agentic_common.events.tasks import TaskFailed
from agentic_common.settings import CommonSettings
from agentic_remediation import bootstrap
from agentic_remediation.adapters.dynamodb.audit import DynamoDBAuditStore
from agentic_remediation.logic.recommend import recommendation_id
from agentic_remediation.settings import RemediationSettings

from tests.helpers import eventbridge_body, sqs_event
from tests.slo_checks import DEAD_SERVICE, NOISY_LATENCY


def _sqs_event(detail: EventDetail, source: str) -> dict[str, Any]:
    return sqs_event(eventbridge_body(detail, source.removeprefix("agentic.")))


def _drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    """Every EventBridge event now on the queue (received until an empty long poll)."""
    events: list[dict[str, Any]] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
            "Messages", []
        )
        if not messages:
            return events
        for message in messages:
            events.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def _of(events: list[dict[str, Any]], detail_type: str, **match: str) -> list[dict[str, Any]]:
    return [
        e["detail"]
        for e in events
        if e["detail-type"] == detail_type and all(e["detail"].get(k) == v for k, v in match.items())
    ]


@pytest.fixture
def service(aws_settings: CommonSettings, queue_urls: dict[str, str]) -> bootstrap.Service:
    # Not ``empty_queues``: moto allows one PurgeQueue per queue per 60 s. Assertions filter on ids
    # unique to each test, so other messages on the queues cannot confuse them.
    settings = RemediationSettings(agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url)
    return bootstrap.assemble(settings)


@pytest.fixture
def audit(aws_clients: AwsClients, aws_settings: CommonSettings) -> DynamoDBAuditStore:
    return DynamoDBAuditStore(aws_clients.client("dynamodb"), "agentic-test-remediation-audit")


def _policy_violated() -> PolicyViolated:
    violation = Violation(
        rule="dockerfile-non-root",
        severity="high",
        category="container",
        message="runs as root.",
        file="Dockerfile",
        line=3,
        remediation="add USER app",
    )
    outputs = PolicyOutputs(
        artifact_sha256="b" * 64, files_scanned=5, rules_evaluated=9, violations=(violation,)
    )
    return PolicyViolated(
        event_id=f"evt-{uuid.uuid4().hex}", workflow_id="wf-int", task_id="policy", outputs=outputs
    )


DEAD, NOISY = DEAD_SERVICE, NOISY_LATENCY


def _unhealthy(environment: str, check: SloCheck = DEAD) -> AnomalyDetected:
    """The monitor's anomaly for a deployment that stopped answering (actionable evidence by default)."""
    unique = uuid.uuid4().hex[:8]
    return AnomalyDetected(
        event_id=f"evt-{unique}",
        workflow_id="wf-int",
        kind="unhealthy",
        service=f"svc-{unique}",
        deployment_id=f"dep-{unique}",
        environment=environment,
        incident_id=f"inc-{unique}",
        series="health",
        score=1.0,
        reason="GET /health refused",
        check=check,
    )


def test_a_violation_fed_twice_yields_one_recommendation_and_one_audit_record(
    service: bootstrap.Service, aws_clients: AwsClients, queue_urls: dict[str, str], audit: DynamoDBAuditStore
) -> None:
    # Given a policy.violated delivered, then redelivered
    trigger = _policy_violated()
    # When
    first = service.consumer.handle_batch(_sqs_event(trigger, "agentic.policy"))
    second = service.consumer.handle_batch(_sqs_event(trigger, "agentic.policy"))
    # Then both deliveries succeed, and the planner queue holds exactly one recommendation
    assert first["batchItemFailures"] == second["batchItemFailures"] == []
    events = _drain(aws_clients.client("sqs"), queue_urls["planner-events"])
    [recommendation] = _of(events, "remediation.recommended", trigger_event_id=trigger.event_id)
    assert (recommendation["playbook"], recommendation["tier"]) == ("fix-policy-violations", "advisory")
    assert recommendation["recommendation_id"] == recommendation_id(trigger.event_id)
    assert "dockerfile-non-root (high) at Dockerfile:3" in recommendation["summary"]
    # And the remediation-audit table has one record for it
    [record] = [r for r in audit.of_service("workflow:wf-int") if r.trigger_event_id == trigger.event_id]
    assert (record.kind, record.playbook) == ("recommended", "fix-policy-violations@1.0.0")


def test_a_verification_anomaly_without_a_target_yields_an_slo_breach_recommendation(
    service: bootstrap.Service, aws_clients: AwsClients, queue_urls: dict[str, str]
) -> None:
    outputs = VerificationOutputs(
        url="http://127.0.0.1:9",
        slo=Slo(p95_latency_ms=100, max_error_rate=0.0, requests=5),
        measurements=ProbeMeasurements(
            requests=5, errors=5, error_rate=1.0, p50_latency_ms=1.0, p95_latency_ms=2.0
        ),
        verified=False,
        breaches=("error rate 100.0% exceeds the SLO of 0.0%",),
    )
    trigger = AnomalyDetected(
        event_id=f"evt-{uuid.uuid4().hex}", workflow_id="wf-int", task_id="verify", outputs=outputs
    )
    service.consumer.handle_batch(_sqs_event(trigger, "agentic.observability"))
    events = _drain(aws_clients.client("sqs"), queue_urls["planner-events"])
    [recommendation] = _of(events, "remediation.recommended", trigger_event_id=trigger.event_id)
    assert recommendation["playbook"] == "investigate-slo-breach"
    assert recommendation["evidence"]["breaches"] == ["error rate 100.0% exceeds the SLO of 0.0%"]


def test_a_policy_task_failure_with_violations_reaches_the_planner_as_nothing(
    service: bootstrap.Service, aws_clients: AwsClients, queue_urls: dict[str, str]
) -> None:
    trigger = TaskFailed(
        event_id=f"evt-{uuid.uuid4().hex}",
        workflow_id="wf-int",
        task_id="policy",
        agent="policy",
        attempt=1,
        error="1 blocking violation",
        retryable=False,
        evidence={"violations": [{"rule": "dockerfile-non-root"}]},
    )
    result = service.consumer.handle_batch(_sqs_event(trigger, "agentic.policy"))
    assert result["batchItemFailures"] == []
    events = _drain(aws_clients.client("sqs"), queue_urls["planner-events"])
    assert _of(events, "remediation.recommended", trigger_event_id=trigger.event_id) == []


def test_an_unhealthy_dev_service_gets_a_restart_routed_to_the_deployment_worker(
    service: bootstrap.Service, aws_clients: AwsClients, queue_urls: dict[str, str], audit: DynamoDBAuditStore
) -> None:
    # Given the monitor's anomaly for a dev deployment
    trigger = _unhealthy("dev")
    # When
    service.consumer.handle_batch(_sqs_event(trigger, "agentic.observability"))
    # Then the topology routes the restart to the deployment worker's queue
    events = _drain(aws_clients.client("sqs"), queue_urls["deployment-tasks"])
    [request] = _of(events, "remediation.action_requested", service=trigger.service)
    assert (request["action"], request["deployment_id"], request["tier"]) == (
        "restart",
        trigger.deployment_id,
        "automated",
    )
    assert [r.kind for r in audit.of_service(str(trigger.service))] == ["action_requested"]


def test_an_anomaly_that_meets_its_slo_runs_nothing_and_reaches_the_planner_as_an_unnotified_advisory(
    service: bootstrap.Service, aws_clients: AwsClients, queue_urls: dict[str, str], audit: DynamoDBAuditStore
) -> None:
    # Given the monitor's anomaly on a dev service whose p95 still meets its objective
    trigger = _unhealthy("dev", check=NOISY)
    # When
    service.consumer.handle_batch(_sqs_event(trigger, "agentic.observability"))
    # Then nothing reaches the deployment worker, and the planner records an advisory nobody is paged for
    sqs = aws_clients.client("sqs")
    assert (
        _of(
            _drain(sqs, queue_urls["deployment-tasks"]),
            "remediation.action_requested",
            service=trigger.service,
        )
        == []
    )
    planner = _drain(sqs, queue_urls["planner-events"])
    [record] = _of(planner, "remediation.recommended", trigger_event_id=trigger.event_id)
    assert (record["tier"], record["notify"]) == ("advisory", False)
    assert [r.kind for r in audit.of_service(str(trigger.service))] == ["recommended"]


def test_a_prod_restart_waits_for_approval_and_runs_once_approved(
    service: bootstrap.Service, aws_clients: AwsClients, queue_urls: dict[str, str], audit: DynamoDBAuditStore
) -> None:
    # Given the monitor's anomaly for a prod deployment
    trigger = _unhealthy("prod")
    service.consumer.handle_batch(_sqs_event(trigger, "agentic.observability"))
    sqs = aws_clients.client("sqs")
    assert (
        _of(
            _drain(sqs, queue_urls["deployment-tasks"]),
            "remediation.action_requested",
            service=trigger.service,
        )
        == []
    )
    # When a person approves the pending approval in the approvals table
    store = DynamoDBApprovalStore(aws_clients.client("dynamodb"), "agentic-test-approvals")
    [pending] = [a for a in store.pending("remediation") if a.service == trigger.service]
    decided = decided_event(store.decide(pending.approval_id, True, "alice@example.com", "go"))
    service.consumer.handle_batch(_sqs_event(decided, "agentic.planner"))
    # Then the restart reaches the deployment worker, naming the approval
    [request] = _of(
        _drain(sqs, queue_urls["deployment-tasks"]), "remediation.action_requested", service=trigger.service
    )
    assert (request["approval_id"], request["requested_by"]) == (
        pending.approval_id,
        "user:alice@example.com",
    )
    assert [r.kind for r in audit.of_service(str(trigger.service))] == [
        "approval_requested",
        "action_requested",
    ]


def test_a_failed_action_escalates_to_the_planner_for_notification(
    service: bootstrap.Service, aws_clients: AwsClients, queue_urls: dict[str, str], audit: DynamoDBAuditStore
) -> None:
    # Given a restart requested for a dev service
    trigger = _unhealthy("dev")
    service.consumer.handle_batch(_sqs_event(trigger, "agentic.observability"))
    [request] = _of(
        _drain(aws_clients.client("sqs"), queue_urls["deployment-tasks"]),
        "remediation.action_requested",
        service=trigger.service,
    )
    # When the deployment worker reports that it failed
    completed = RemediationActionCompleted(
        workflow_id="wf-int",
        action_id=request["action_id"],
        service=request["service"],
        deployment_id=request["deployment_id"],
        environment="dev",
        action="restart",
        outcome="failed",
        detail="the process exited during start",
        before={"pid": 1},
        after={},
    )
    service.consumer.handle_batch(_sqs_event(completed, "agentic.deployment"))
    # Then the planner queue holds the escalation
    events = _drain(aws_clients.client("sqs"), queue_urls["planner-events"])
    [escalation] = _of(events, "remediation.escalated", service=trigger.service)
    assert escalation["action_id"] == request["action_id"]
    assert [r.kind for r in audit.of_service(str(trigger.service))] == [
        "action_requested",
        "failed",
        "escalated",
    ]
