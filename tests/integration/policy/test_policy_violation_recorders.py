"""One contract for both ViolationRecorder adapters: the in-memory fake and DynamoDB (on moto)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from agentic_common.aws import AwsClients
from agentic_common.events.policy import Violation
from agentic_common.settings import CommonSettings
from agentic_policy.adapters.dynamodb.recorder import DynamoDBViolationRecorder
from agentic_policy.adapters.memory.recorder import InMemoryViolationRecorder
from agentic_policy.logic.enforcement import DEFAULT_ENFORCEMENT
from agentic_policy.logic.evaluate import Evaluation
from agentic_policy.logic.records import build_records
from agentic_policy.ports import ViolationRecorder

Stored = Callable[[str], list[tuple[str, str, str, bool, int | None]]]


@pytest.fixture(params=["memory", "dynamodb"])
def recorder_and_reader(
    request: pytest.FixtureRequest,
    aws_settings: CommonSettings,
    aws_clients: AwsClients,
    queue_urls: dict[str, str],
) -> tuple[ViolationRecorder, Stored]:
    """A recorder and a reader returning (violation_id, timestamp, rule, blocking, line) per stored item."""
    if request.param == "memory":
        memory = InMemoryViolationRecorder()
        return memory, lambda wf: sorted(
            (r.violation_id, r.timestamp, r.violation.rule, r.blocking, r.violation.line)
            for r in memory.records
            if r.workflow_id == wf
        )
    table = aws_settings.name("policy-violations")
    dynamodb = aws_clients.client("dynamodb")

    def read(workflow_id: str) -> list[tuple[str, str, str, bool, int | None]]:
        items = dynamodb.scan(
            TableName=table,
            FilterExpression="workflow_id = :w",
            ExpressionAttributeValues={":w": {"S": workflow_id}},
        )["Items"]
        return sorted(
            (
                i["violation_id"]["S"],
                i["timestamp"]["S"],
                i["rule"]["S"],
                i["blocking"]["BOOL"],
                int(i["line"]["N"]) if "line" in i else None,
            )
            for i in items
        )

    return DynamoDBViolationRecorder(dynamodb, table), read


def records(workflow_id: str, environment: str) -> list:  # type: ignore[type-arg]
    violations = [
        Violation(
            rule="DOCKER-001",
            severity="high",
            category="supply-chain",
            message="base image 'python:latest' is not pinned",
            file="Dockerfile",
            line=1,
            remediation="pin it",
        ),
        Violation(rule="DOC-001", severity="low", category="operational", message="no README"),
    ]
    evaluation = Evaluation(
        environment=environment,
        mode=DEFAULT_ENFORCEMENT.mode(environment),
        digest="d" * 64,
        bundle_version="test@1",
        files_scanned=2,
        rules_evaluated=2,
        engines=("rego",),
        violations=tuple(violations),
        waived=(),
        blocking=DEFAULT_ENFORCEMENT.blocking(violations, environment),
    )
    return build_records(
        workflow_id=workflow_id,
        task_id="policy",
        observed_at=datetime(2026, 1, 1, tzinfo=UTC),
        artifact_sha256="f" * 64,
        evaluation=evaluation,
    )


def test_recorded_violations_are_stored_with_their_keys_and_blocking_flag(
    recorder_and_reader: tuple[ViolationRecorder, Stored],
) -> None:
    # Given a recorder / When two staging violations are recorded
    recorder, stored = recorder_and_reader
    recorder.record(records("wf-contract-1", "staging"))

    # Then both are stored under the same timestamp, only the high one blocking
    rows = stored("wf-contract-1")
    assert sorted((rule, blocking, line or 0) for _id, _ts, rule, blocking, line in rows) == [
        ("DOC-001", False, 0),
        ("DOCKER-001", True, 1),
    ]
    assert {ts for _id, ts, *_ in rows} == {"2026-01-01T00:00:00+00:00"}


def test_recording_the_same_violations_again_overwrites_them(
    recorder_and_reader: tuple[ViolationRecorder, Stored],
) -> None:
    # Given violations recorded once / When recorded again (a redelivery) with a different enforcement
    recorder, stored = recorder_and_reader
    recorder.record(records("wf-contract-2", "staging"))
    recorder.record(records("wf-contract-2", "dev"))

    # Then there are still two items, now non-blocking
    rows = stored("wf-contract-2")
    assert len(rows) == 2
    assert [blocking for *_x, blocking, _line in rows] == [False, False]
