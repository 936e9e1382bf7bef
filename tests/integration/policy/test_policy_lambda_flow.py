"""The policy consumer on the local AWS: S3 artifact in, DynamoDB records and routed events out."""

from __future__ import annotations

from policy_harness import PolicyHarness


def test_a_failing_repository_in_staging_is_recorded_and_reported_to_planner_and_remediation(
    policy: PolicyHarness, clean_repo: dict[str, bytes]
) -> None:
    # Given a repository whose Dockerfile uses python:latest and that commits a .env file, in staging
    dockerfile = clean_repo["Dockerfile"].replace(b"python:3.11.10-slim", b"python:latest")
    task = policy.task(clean_repo | {"Dockerfile": dockerfile, ".env": b"DEBUG=1\n"}, "staging")

    # When the consumer processes the SQS message
    response = policy.handle(task)

    # Then the message is done (a policy block is a task result, not a delivery failure)
    assert response == {"batchItemFailures": []}
    # And both violations are in the policy-violations table, as blocking staging violations
    items = policy.violation_items(task.workflow_id)
    assert sorted((item["rule"]["S"], item.get("line", {}).get("N")) for item in items) == [
        ("DOCKER-001 base-image-pinned", "1"),
        ("SEC-002 no-env-or-key-files", None),
    ]
    assert {(item["environment"]["S"], item["blocking"]["BOOL"]) for item in items} == {("staging", True)}
    assert all(item["violation_id"]["S"].startswith("vio-") for item in items)
    # And task.failed reaches the planner; task.failed and policy.violated reach remediation
    assert policy.received("planner-events", task.workflow_id, 1) == ["task.failed"]
    assert sorted(policy.received("remediation-events", task.workflow_id, 2)) == [
        "policy.violated",
        "task.failed",
    ]


def test_a_clean_repository_in_prod_completes_and_records_nothing(
    policy: PolicyHarness, clean_repo: dict[str, bytes]
) -> None:
    # Given the clean repository in prod
    task = policy.task(clean_repo, "prod")

    # When the consumer processes the SQS message
    response = policy.handle(task)

    # Then task.completed reaches the planner, nothing reaches remediation, nothing is recorded
    assert response == {"batchItemFailures": []}
    assert policy.received("planner-events", task.workflow_id, 1) == ["task.completed"]
    assert policy.received("remediation-events", task.workflow_id, 0) == []
    assert policy.violation_items(task.workflow_id) == []


def test_a_redelivered_task_overwrites_its_violation_records(
    policy: PolicyHarness, clean_repo: dict[str, bytes]
) -> None:
    # Given a dev task (advisory: it completes) with one violation, processed once
    task = policy.task(clean_repo | {".env": b"DEBUG=1\n"}, "dev")
    policy.handle(task)
    first = policy.violation_items(task.workflow_id)

    # When the same event is delivered again after its claim is gone
    policy.forget_claim(task)
    policy.handle(task)

    # Then the table holds the same single item (same keys), not a second one
    second = policy.violation_items(task.workflow_id)
    assert len(first) == 1
    assert [(i["violation_id"], i["timestamp"]) for i in second] == [
        (i["violation_id"], i["timestamp"]) for i in first
    ]
