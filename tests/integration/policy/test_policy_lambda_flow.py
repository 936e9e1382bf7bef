"""The policy consumer on the local AWS: S3 artifact in; DynamoDB violations and decision, S3 reports and
routed events out."""

from __future__ import annotations

import json

from policy_harness import PolicyHarness


def test_a_failing_repository_in_staging_is_recorded_reported_and_routed_to_planner_and_remediation(
    policy: PolicyHarness, clean_repo: dict[str, bytes]
) -> None:
    # Given a repository whose Dockerfile uses python:latest and that commits a .env file, in staging
    dockerfile = clean_repo["Dockerfile"].replace(b"python:3.11.10-slim", b"python:latest")
    task = policy.task(clean_repo | {"Dockerfile": dockerfile, ".env": b"DEBUG=1\n"}, "staging")

    # When the consumer processes the SQS message
    response = policy.handle(task)

    # Then the message is done (a policy block is a task result, not a delivery failure)
    assert response == {"batchItemFailures": []}
    # And the Rego violations are in the policy-violations table as blocking staging violations
    items = policy.violation_items(task.workflow_id)
    blocking = {(i["rule"]["S"], i.get("line", {}).get("N")) for i in items if i["blocking"]["BOOL"]}
    assert {("DOCKER-001", "1"), ("SEC-002", None), ("CKV_DOCKER_7", "1")} <= blocking
    assert {i["environment"]["S"] for i in items} == {"staging"}
    # And task.failed reaches the planner; task.failed and policy.violated reach remediation
    assert policy.received("planner-events", task.workflow_id, 1) == ["task.failed"]
    assert sorted(policy.received("remediation-events", task.workflow_id, 2)) == [
        "policy.violated",
        "task.failed",
    ]


def test_a_clean_repository_in_prod_completes_with_its_reports_in_s3_and_its_decision_in_dynamodb(
    policy: PolicyHarness, clean_repo: dict[str, bytes]
) -> None:
    # Given the clean repository in prod / When the consumer processes the SQS message
    task = policy.task(clean_repo, "prod")
    response = policy.handle(task)

    # Then task.completed reaches the planner and nothing reaches remediation
    assert response == {"batchItemFailures": []}
    assert policy.received("planner-events", task.workflow_id, 1) == ["task.completed"]
    assert policy.received("remediation-events", task.workflow_id, 0) == []
    # And only non-blocking findings were recorded
    assert not any(i["blocking"]["BOOL"] for i in policy.violation_items(task.workflow_id))
    # And the JSON and Markdown reports are in the artifacts bucket
    s3 = policy.clients.client("s3")
    bucket = policy.settings.name("agent-artifacts")
    prefix = f"reports/policy/{task.workflow_id}/policy/"
    report = json.loads(s3.get_object(Bucket=bucket, Key=prefix + "report.json")["Body"].read())
    markdown = s3.get_object(Bucket=bucket, Key=prefix + "report.md")["Body"].read().decode()
    assert report["valid"] is True
    assert "passes" in markdown
    # And the decision record binds the digest to the bundle version
    decision = policy.clients.client("dynamodb").get_item(
        TableName=policy.settings.name("policy-decisions"),
        Key={"decision_id": {"S": report["decision"]["decision_id"]}},
    )["Item"]
    assert decision["digest"]["S"] == report["decision"]["digest"]
    assert decision["bundle_version"]["S"].startswith("agentic-org-policies@")


def test_a_redelivered_task_overwrites_its_violation_records(
    policy: PolicyHarness, clean_repo: dict[str, bytes]
) -> None:
    # Given a dev task (advisory: it completes) with violations, processed once
    task = policy.task(clean_repo | {".env": b"DEBUG=1\n"}, "dev")
    policy.handle(task)
    first = policy.violation_items(task.workflow_id)

    # When the same event is delivered again after its claim is gone
    policy.forget_claim(task)
    policy.handle(task)

    # Then the table holds the same items (same keys), not new ones
    second = policy.violation_items(task.workflow_id)
    assert first
    assert sorted((i["violation_id"]["S"], i["timestamp"]["S"]) for i in second) == sorted(
        (i["violation_id"]["S"], i["timestamp"]["S"]) for i in first
    )
