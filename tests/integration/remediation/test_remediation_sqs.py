"""The remediation consumer against the local AWS (moto): triggers in, one recommendation out."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.consumer import Consumer
from agentic_common.events import EventDetail
from agentic_common.events.observability import AnomalyDetected, ProbeMeasurements, Slo, VerificationOutputs
from agentic_common.events.policy import PolicyOutputs, PolicyViolated, Violation
from agentic_common.events.tasks import TaskFailed
from agentic_common.settings import CommonSettings
from agentic_remediation import bootstrap
from agentic_remediation.logic.recommend import recommendation_id


def _sqs_event(detail: EventDetail, source: str) -> dict[str, Any]:
    body = {
        "version": "0",
        "id": "x",
        "detail-type": detail.DETAIL_TYPE,
        "source": source,
        "account": "",
        "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": detail.model_dump(mode="json"),
    }
    record = {
        "messageId": str(uuid.uuid4()),
        "receiptHandle": f"rh-{uuid.uuid4().hex}",
        "body": json.dumps(body),
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:agentic-test-remediation-events",
        "awsRegion": "us-east-1",
    }
    return {"Records": [record]}


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


def _recommendations_for(events: list[dict[str, Any]], trigger_event_id: str) -> list[dict[str, Any]]:
    return [
        e["detail"]
        for e in events
        if e["detail-type"] == "remediation.recommended"
        and e["detail"]["trigger_event_id"] == trigger_event_id
    ]


@pytest.fixture
def consumer(aws_settings: CommonSettings, queue_urls: dict[str, str], tmp_path: Path) -> Consumer:
    # Not ``empty_queues``: moto allows one PurgeQueue per queue per 60 s. Assertions filter on the
    # trigger's event id (unique per test), so other messages on the queue cannot confuse them.
    settings = CommonSettings(
        agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
    )
    return bootstrap.build(settings)


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


def test_a_violation_fed_twice_yields_one_recommendation_for_the_planner(
    consumer: Consumer, aws_clients: AwsClients, queue_urls: dict[str, str], tmp_path: Path
) -> None:
    # Given a policy.violated delivered, then redelivered
    trigger = _policy_violated()
    # When
    first = consumer.handle_batch(_sqs_event(trigger, "agentic.policy"))
    second = consumer.handle_batch(_sqs_event(trigger, "agentic.policy"))
    # Then both deliveries succeed, and the planner queue holds exactly one recommendation
    assert first["batchItemFailures"] == []
    assert second["batchItemFailures"] == []
    events = _drain(aws_clients.client("sqs"), queue_urls["planner-events"])
    [recommendation] = _recommendations_for(events, trigger.event_id)
    assert recommendation["playbook"] == "fix-policy-violations"
    assert recommendation["tier"] == "advisory"
    assert recommendation["recommendation_id"] == recommendation_id(trigger.event_id)
    assert "dockerfile-non-root (high) at Dockerfile:3" in recommendation["summary"]
    # And the audit log has one line for it
    lines = (tmp_path / "remediation-audit.jsonl").read_text().splitlines()
    assert [json.loads(line)["recommendation_id"] for line in lines] == [recommendation["recommendation_id"]]


def test_an_anomaly_yields_an_slo_breach_recommendation(
    consumer: Consumer, aws_clients: AwsClients, queue_urls: dict[str, str]
) -> None:
    # Given
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
    # When
    consumer.handle_batch(_sqs_event(trigger, "agentic.observability"))
    # Then
    [recommendation] = _recommendations_for(
        _drain(aws_clients.client("sqs"), queue_urls["planner-events"]), trigger.event_id
    )
    assert recommendation["playbook"] == "investigate-slo-breach"
    assert recommendation["evidence"]["breaches"] == ["error rate 100.0% exceeds the SLO of 0.0%"]


def test_a_policy_task_failure_with_violations_reaches_the_planner_as_nothing(
    consumer: Consumer, aws_clients: AwsClients, queue_urls: dict[str, str], tmp_path: Path
) -> None:
    # Given the task.failed that accompanies a policy.violated
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
    # When
    result = consumer.handle_batch(_sqs_event(trigger, "agentic.policy"))
    # Then it is consumed without a recommendation
    assert result["batchItemFailures"] == []
    assert (
        _recommendations_for(
            _drain(aws_clients.client("sqs"), queue_urls["planner-events"]), trigger.event_id
        )
        == []
    )
    assert not (tmp_path / "remediation-audit.jsonl").exists()
