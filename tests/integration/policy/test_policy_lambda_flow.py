"""The policy Lambda on the local AWS: S3 artifact in, DynamoDB records and routed events out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentic_common.consumer import Consumer
from agentic_common.events.tasks import TaskCreated

MakeTask = Callable[..., TaskCreated]
Receive = Callable[[str, str, int], list[str]]


def test_a_failing_repository_in_staging_is_recorded_and_reported_to_planner_and_remediation(
    policy_consumer: Consumer, policy_task: MakeTask, clean_repo: dict[str, bytes],
    sqs_event_for: Callable[[TaskCreated], dict[str, Any]], empty_queues: dict[str, str], receive: Receive,
    table_items: Callable[[str], list[dict[str, Any]]],
) -> None:
    # Given a repository whose Dockerfile uses python:latest and that commits a .env file, in staging
    dockerfile = clean_repo["Dockerfile"].replace(b"python:3.11.10-slim", b"python:latest")
    task = policy_task(clean_repo | {"Dockerfile": dockerfile, ".env": b"DEBUG=1\n"}, "staging")

    # When the handler processes the SQS message
    response = policy_consumer.handle_batch(sqs_event_for(task), None)

    # Then the message is done (a policy block is a task result, not a delivery failure)
    assert response == {"batchItemFailures": []}
    # And both violations are in the policy-violations table, as blocking staging violations
    items = table_items(task.workflow_id)
    assert sorted(item["rule"]["S"] for item in items) == ["DOCKER-001 base-image-pinned", "SEC-002 no-env-or-key-files"]
    assert {item["environment"]["S"] for item in items} == {"staging"}
    assert all(item["blocking"]["BOOL"] for item in items)
    assert all(item["violation_id"]["S"].startswith("vio-") for item in items)
    # And task.failed reaches the planner, task.failed and policy.violated reach remediation
    assert receive(empty_queues["planner-events"], task.workflow_id, 1) == ["task.failed"]
    assert sorted(receive(empty_queues["remediation-events"], task.workflow_id, 2)) == [
        "policy.violated", "task.failed",
    ]


def test_a_clean_repository_in_prod_completes_and_records_nothing(
    policy_consumer: Consumer, policy_task: MakeTask, clean_repo: dict[str, bytes],
    sqs_event_for: Callable[[TaskCreated], dict[str, Any]], empty_queues: dict[str, str], receive: Receive,
    table_items: Callable[[str], list[dict[str, Any]]],
) -> None:
    # Given the clean repository in prod
    task = policy_task(clean_repo, "prod")

    # When the handler processes the SQS message
    response = policy_consumer.handle_batch(sqs_event_for(task), None)

    # Then task.completed reaches the planner, nothing reaches remediation, nothing is recorded
    assert response == {"batchItemFailures": []}
    assert receive(empty_queues["planner-events"], task.workflow_id, 1) == ["task.completed"]
    assert receive(empty_queues["remediation-events"], task.workflow_id, 0) == []
    assert table_items(task.workflow_id) == []


def test_a_redelivered_failing_task_overwrites_its_records(
    policy_consumer: Consumer, policy_task: MakeTask, clean_repo: dict[str, bytes],
    sqs_event_for: Callable[[TaskCreated], dict[str, Any]], empty_queues: dict[str, str],
    table_items: Callable[[str], list[dict[str, Any]]], aws_clients: Any, aws_settings: Any,
) -> None:
    # Given a dev task (advisory: it completes) with one violation, processed once
    task = policy_task(clean_repo | {".env": b"DEBUG=1\n"}, "dev")
    policy_consumer.handle_batch(sqs_event_for(task), None)
    first = table_items(task.workflow_id)

    # When the same event is delivered again after its claim is gone (as after a lost completion)
    aws_clients.client("dynamodb").delete_item(
        TableName=aws_settings.name("idempotency"),
        Key={"id": {"S": f"task#{task.workflow_id}#policy#1"}},
    )
    policy_consumer.handle_batch(sqs_event_for(task), None)

    # Then the table holds the same single item (same key), not a second one
    second = table_items(task.workflow_id)
    assert len(first) == 1
    assert [(i["violation_id"], i["timestamp"]) for i in second] == [
        (i["violation_id"], i["timestamp"]) for i in first
    ]
